#include "templates/template_names.h"

#include <catch2/catch.hpp>

using namespace pheu::templates;
using nlohmann::json;

TEST_CASE("a missing brace or a name that is not one is an error with its line and column", "[unit][templates]") {
    auto result = template_names("Chào {{customer.name}\nquà của bạn {{shop.name}}");
    REQUIRE(std::holds_alternative<ParseError>(result));
    CHECK(std::get<ParseError>(result).line == 1);
    CHECK(std::get<ParseError>(result).column == 6);
    CHECK(std::get<ParseError>(result).message.find("brace") != std::string::npos);

    result = template_names("Dòng 1\nxin chào {{customer..name}}");
    REQUIRE(std::holds_alternative<ParseError>(result));
    CHECK(std::get<ParseError>(result).line == 2);
    CHECK(std::get<ParseError>(result).column == 10);
    CHECK(std::holds_alternative<ParseError>(template_names("{{tên khách}}")));
}

TEST_CASE("names of variables and sections are read, not those of comments, partials and closings",
          "[unit][templates]") {
    const auto result = template_names("{{! note }}{{#voucher}}{{code}}{{/voucher}}{{> menu}}{{{shop.name}}}{{.}}");
    REQUIRE(std::holds_alternative<std::vector<TemplateName>>(result));
    std::vector<std::string> names;
    for (const auto& name : std::get<std::vector<TemplateName>>(result)) {
        names.push_back(name.name);
    }
    CHECK(names == std::vector<std::string>{"voucher", "code", "shop.name"});
}

TEST_CASE("a name no message holds is a warning, found from the top or inside a section's item", "[unit][templates]") {
    const json sample = {{"customer", {{"given_name", "Lan"}}}, {"products", {{{"name", "Áo"}, {"price_text", "1đ"}}}}};
    const auto names = std::get<std::vector<TemplateName>>(
        template_names("{{customer.given_name}} {{#products}}{{name}}{{/products}}\n{{khach.ten}}"));
    const auto warnings = unknown_names(names, sample);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].name == "khach.ten");
    CHECK(warnings[0].line == 2);
    CHECK(warnings[0].column == 1);
}
