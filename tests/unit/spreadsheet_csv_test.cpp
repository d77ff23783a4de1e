#include "bot/playbook/spreadsheet_csv.h"

#include <catch2/catch.hpp>

using pheu::bot::csv_cell;

TEST_CASE("a CSV cell a spreadsheet would run as a formula is written as text", "[unit][csv]") {
    CHECK(csv_cell("=HYPERLINK(\"http://x\",\"Lan\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"Lan\"\")\"");
    CHECK(csv_cell("+84912345678") == "\"'+84912345678\"");
    CHECK(csv_cell("-2+3") == "\"'-2+3\"");
    CHECK(csv_cell("@SUM(A1:A9)") == "\"'@SUM(A1:A9)\"");
    CHECK(csv_cell("\tcmd") == "\"'\tcmd\"");
    CHECK(csv_cell("\rcmd") == "\"'\rcmd\"");
}

TEST_CASE("an ordinary CSV cell is written as it is, quoted only where it must be", "[unit][csv]") {
    CHECK(csv_cell("Nguyễn Thị Lan") == "Nguyễn Thị Lan");
    CHECK(csv_cell("") == "");
    CHECK(csv_cell("Lan, Hà Nội") == "\"Lan, Hà Nội\"");
    CHECK(csv_cell("Lan; Huế") == "\"Lan; Huế\"");
    CHECK(csv_cell("a \"b\"") == "\"a \"\"b\"\"\"");
    CHECK(csv_cell("Lan=Hoa") == "Lan=Hoa"); // only a leading sign makes a formula
}
