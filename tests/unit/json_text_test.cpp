#include "common/json_text.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using nlohmann::json;
using pheu::common::compact_json_text;

namespace {

std::string reference_text(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

TEST_CASE("compact JSON text is nlohmann's text for every kind of value", "[unit][json]") {
    const json document = {
        {"text", "Mình muốn đổi size, đơn hàng hôm qua giao chưa ạ? Cảm ơn shop nhiều 🙏"},
        {"nfd", "khuye\xcc\x82\xcc\x81n ma\xcc\x83i"},
        {"escapes", "quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f nul"},
        {"controls", std::string("\x00\x01\x1f\x7f", 4)},
        {"empty", ""},
        {"nested",
         {{"list", {1, -2, 3000000000000000000LL, 18446744073709551615ULL, 0.1, 1e300, -0.0}},
          {"flags", {true, false, nullptr}},
          {"objects", {json::object(), json::array(), {{"z", 1}, {"a", 2}}}}}},
        {"number", -9223372036854775807LL - 1},
        {"Ä key with \"quotes\"", "value"},
    };
    CHECK(pheu::common::compact_json_text(document) == reference_text(document));
    CHECK(pheu::common::compact_json_text(json("plain")) == "\"plain\"");
    CHECK(pheu::common::compact_json_text(json(nullptr)) == "null");
    CHECK(pheu::common::compact_json_text(json::binary({1, 2, 3})) == reference_text(json::binary({1, 2, 3})));
}

TEST_CASE("compact JSON text replaces invalid UTF-8 exactly as nlohmann does", "[unit][json]") {
    for (const std::string& bad : {
             std::string("\xff"),             // never valid
             std::string("\xc0\x80"),         // overlong NUL
             std::string("\xe0\x80\xaf"),     // overlong slash
             std::string("\xed\xa0\x80"),     // a surrogate
             std::string("\xf4\x90\x80\x80"), // past U+10FFFF
             std::string("ok \xe1\xbb"),      // truncated at the end
             std::string("\xe1\xbb") + "a",   // truncated before ASCII
             std::string("\x80 lone continuation"),
         }) {
        const json value = {{"text", bad}, {bad, 1}};
        CHECK(pheu::common::compact_json_text(value) == reference_text(value));
    }
}

TEST_CASE("compact JSON text matches nlohmann on random strings", "[unit][json]") {
    // Bytes drawn mostly from the edges: ASCII that needs escaping, lead and continuation
    // bytes at the limits of the valid ranges, and Vietnamese letters.
    const std::string alphabet =
        std::string("a\"\\\x01\x1f\x7f \x80\xbf\xc2\xdf\xe0\xa0\xed\x9f\xef\xf0\x90\xf4\x8f\xff") + "ạđư🙏";
    std::mt19937 random(20261202);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<int> length(0, 12);
    int mismatches = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        for (int n = length(random); n > 0; --n) {
            text.push_back(alphabet[pick(random)]);
        }
        const json value = {{"s", text}};
        mismatches += pheu::common::compact_json_text(value) == reference_text(value) ? 0 : 1;
    }
    CHECK(mismatches == 0);
}
