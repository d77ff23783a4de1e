#include "bot/log_format.h"

#include <catch2/catch.hpp>

using pheu::bot::escape_control_characters;

TEST_CASE("control characters in a log message are written as \\xNN", "[unit][log]") {
    CHECK(escape_control_characters("GET /a\n[error] forged") == "GET /a\\x0a[error] forged");
    CHECK(escape_control_characters(std::string("\r\x1b[31m\0\x7f", 8)) == "\\x0d\\x1b[31m\\x00\\x7f");
    CHECK(escape_control_characters("Chào shop, giá bao nhiêu?") == "Chào shop, giá bao nhiêu?");
}
