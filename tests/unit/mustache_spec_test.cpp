// The official Mustache spec, every file, optional modules included, run data-driven.
// The spec's lambdas are code in other languages; their C++ equivalents are below, by test name.
#include "templates/mustache.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

using namespace pheu::templates;
using nlohmann::json;

namespace {

std::map<std::string, Lambda> spec_lambdas() {
    auto calls = std::make_shared<int>(0);
    return {
        {"Interpolation", [](const auto&) { return json("world"); }},
        {"Interpolation - Expansion", [](const auto&) { return json("{{planet}}"); }},
        {"Interpolation - Alternate Delimiters", [](const auto&) { return json("|planet| => {{planet}}"); }},
        {"Interpolation - Multiple Calls", [calls](const auto&) { return json(++*calls); }},
        {"Escaping", [](const auto&) { return json(">"); }},
        {"Section", [](const std::optional<std::string>& text) { return json(text == "{{x}}" ? "yes" : "no"); }},
        {"Section - Expansion",
         [](const std::optional<std::string>& text) { return json(*text + "{{planet}}" + *text); }},
        {"Section - Alternate Delimiters",
         [](const std::optional<std::string>& text) { return json(*text + "{{planet}} => |planet|" + *text); }},
        {"Section - Multiple Calls", [](const std::optional<std::string>& text) { return json("__" + *text + "__"); }},
        {"Inverted Section", [](const auto&) { return json(false); }},
    };
}

// Replaces the spec's {"__tag__":"code",…} lambda objects with references to ours.
void mark_lambdas(json& data, const std::string& test_name) {
    if (data.is_object() && data.value("__tag__", "") == "code") {
        data = json{{"__lambda__", test_name}};
        return;
    }
    if (data.is_structured()) {
        for (auto& item : data) {
            mark_lambdas(item, test_name);
        }
    }
}

} // namespace

TEST_CASE("the official Mustache spec passes, every file", "[unit][mustache][spec]") {
    const std::filesystem::path directory = PHEU_MUSTACHE_SPEC_DIR;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        ++files;
        std::ifstream file(entry.path());
        const json suite = json::parse(file);
        std::size_t passed = 0;
        for (const json& test : suite["tests"]) {
            const std::string name = test["name"];
            json data = test["data"];
            mark_lambdas(data, name);
            RenderOptions options;
            options.escape_html = true;
            options.lambdas = spec_lambdas();
            const json partials = test.value("partials", json::object());
            options.partials = [&partials](const std::string& partial) -> TemplatePtr {
                auto found = partials.find(partial);
                if (found == partials.end()) {
                    return nullptr;
                }
                auto parsed = Template::parse(found->get<std::string>());
                return std::holds_alternative<TemplatePtr>(parsed) ? std::get<TemplatePtr>(parsed) : nullptr;
            };
            INFO(entry.path().filename().string() << ": " << name << " — " << test.value("desc", ""));
            INFO("template: " << test["template"].dump());
            std::string rendered;
            auto parsed = Template::parse(test["template"].get<std::string>());
            if (std::holds_alternative<TemplatePtr>(parsed)) {
                rendered = std::get<TemplatePtr>(parsed)->render(data, options);
            } else {
                rendered = "parse error: " + std::get<ParseError>(parsed).message;
            }
            const bool matches = rendered == test["expected"].get<std::string>();
            CHECK(rendered == test["expected"].get<std::string>());
            passed += matches ? 1U : 0U;
        }
        WARN(entry.path().filename().string() << ": " << passed << " of " << suite["tests"].size() << " pass");
    }
    CHECK(files == 9);
}

TEST_CASE("template syntax errors name their line and column", "[unit][mustache]") {
    const auto error_of = [](std::string_view source) {
        auto parsed = Template::parse(source);
        REQUIRE(std::holds_alternative<ParseError>(parsed));
        return std::get<ParseError>(parsed);
    };
    auto unclosed = error_of("Chào {{name}},\nmã của bạn: {{#voucher}}{{code}}");
    CHECK(unclosed.line == 2);
    CHECK(unclosed.column == 13); // counted in characters: "mã của bạn: " is 12
    CHECK_THAT(unclosed.message, Catch::Matchers::Contains("voucher"));
    auto mismatched = error_of("{{#a}}\n  {{/b}}");
    CHECK(mismatched.line == 2);
    CHECK(mismatched.column == 3);
    auto open_tag = error_of("Xin chào {{name");
    CHECK(open_tag.line == 1);
    CHECK(open_tag.column == 10);
    CHECK(error_of("{{/a}}").message.find("no opening") != std::string::npos);
    CHECK(error_of("{{}}").message.find("no name") != std::string::npos);
    CHECK(error_of("{{=<% %>=}}<%#a%>").line == 1);
}

TEST_CASE("chat text renders without HTML escaping", "[unit][mustache]") {
    RenderOptions plain;
    plain.escape_html = false;
    CHECK(render_source("Giảm {{discount}} cho đơn > {{min}}", {{"discount", "50%"}, {"min", "<500k>"}}, plain) ==
          "Giảm 50% cho đơn > <500k>");
    CHECK(render_source("{{x}}", {{"x", "<b>"}}) == "&lt;b&gt;");
}

TEST_CASE("one parsed template renders from many threads at once", "[unit][mustache]") {
    auto parsed = Template::parse("{{#items}}{{name}}: {{price}}đ\n{{/items}}{{^items}}trống{{/items}}");
    REQUIRE(std::holds_alternative<TemplatePtr>(parsed));
    const TemplatePtr shared = std::get<TemplatePtr>(parsed);
    const json data = {
        {"items", {{{"name", "Áo thun"}, {"price", "199.000"}}, {{"name", "Váy"}, {"price", "350.000"}}}}};
    const std::string expected = "Áo thun: 199.000đ\nVáy: 350.000đ\n";
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                mismatches += shared->render(data) == expected ? 0 : 1;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(mismatches == 0);
    CHECK(shared->render(json::object()) == "trống");
}

TEST_CASE("tags whose sigil could also start their closing are parse errors, read safely (found by fuzzing)") {
    for (const char* source : {"{{=}}", "a {{{}}} b", "{{=}}x", "{{{}}}"}) {
        INFO(source);
        const auto parsed = pheu::templates::Template::parse(source);
        CHECK(std::holds_alternative<pheu::templates::ParseError>(parsed));
    }
    const auto triple = pheu::templates::Template::parse("{{{name}}}");
    REQUIRE(std::holds_alternative<pheu::templates::TemplatePtr>(triple));
    CHECK(std::get<pheu::templates::TemplatePtr>(triple)->render({{"name", "<b>"}}) == "<b>");
}
