#include "common/json_parse.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using nlohmann::json;
using pheu::common::parse_json;

namespace {

// The same document down to the number types (nlohmann's == calls 1 and 1u equal).
bool same_document(const json& a, const json& b) {
    // The one difference pheu::common::parse_json owns to: "-0" is unsigned there, signed with nlohmann.
    const bool zeros = a.is_number_integer() && b.is_number_integer() && a == 0 && b == 0;
    if (a.type() != b.type() && !zeros) {
        return false;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) {
            return false;
        }
        for (auto item = a.begin(), other = b.begin(); item != a.end(); ++item, ++other) {
            if (item.key() != other.key() || !same_document(item.value(), other.value())) {
                return false;
            }
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) {
            return false;
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!same_document(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }
    if (a.is_discarded()) {
        return true;
    }
    return a.dump() == b.dump();
}

bool parses_as_nlohmann_does(const std::string& text) {
    return same_document(pheu::common::parse_json(text), json::parse(text, nullptr, false));
}

const std::string k_zalo_text = R"({"app_id":"360846524940903967","sender":{"id":"246845883529197922"},)"
                                R"("user_id_by_app":"552177279717587732","recipient":{"id":"388613280878808645"},)"
                                R"("event_name":"user_send_text","message":{"text":"Mình muốn đổi size, đơn )"
                                R"(hàng hôm qua giao chưa ạ? Cảm ơn shop nhiều 🙏","msg_id":"96d3cdf3af150460909"},)"
                                R"("timestamp":"1554476779994"})";

} // namespace

TEST_CASE("a webhook body parses to the document nlohmann gives", "[unit][json]") {
    const json document = pheu::common::parse_json(k_zalo_text);
    REQUIRE(document.is_object());
    CHECK(document["message"]["text"] == "Mình muốn đổi size, đơn hàng hôm qua giao chưa ạ? Cảm ơn shop nhiều 🙏");
    CHECK(parses_as_nlohmann_does(k_zalo_text));
}

TEST_CASE("every kind of value parses as nlohmann parses it", "[unit][json]") {
    for (const std::string text : {
             R"({"n":[0,-0,1,-1,9223372036854775807,-9223372036854775808,18446744073709551615]})",
             R"({"f":[0.1,-0.0,1e300,1E-300,2.5e+3,123456789.123456789]})",
             R"({"big":[18446744073709551616,-9223372036854775809,1e400]})", // beyond 64 bits
             R"({"s":["", "\"\\\/\b\f\n\r\t", "\u0000\u001f\u00e9\ud83d\ude4f", "khuye\u0302\u0301n"]})",
             R"({"nfd":"khuyến mãi","emoji":"🙏🏽👍","flags":[true,false,null]})",
             R"({"dup":1,"dup":2,"x":{"dup":"a","dup":"b"}})",
             R"([[],{},[{}],{"":""}])",
             R"("just a string")",
             "42",
             "-7",
             "true",
             "null",
             " \t\r\n{}\n ",
         }) {
        INFO(text);
        CHECK(parses_as_nlohmann_does(text));
    }
    const json duplicates = pheu::common::parse_json(R"({"dup":1,"dup":2})");
    CHECK(duplicates["dup"] == 2); // the last one stays
    CHECK(pheu::common::parse_json("5").is_number_unsigned());
    CHECK(pheu::common::parse_json("-5").is_number_integer());
    CHECK(pheu::common::parse_json("18446744073709551616").is_number_float());
}

TEST_CASE("what is not one JSON document is discarded, as nlohmann discards it", "[unit][json]") {
    for (const std::string& text : {
             std::string(""),
             std::string("{"),
             std::string(R"({"a":)"),
             std::string(R"({"a":1,})"),
             std::string("[1,2"),
             std::string("{} {}"),
             std::string("{}x"),
             std::string("nul"),
             std::string(R"({"a":"unterminated)"),
             std::string("{\"a\":\"raw\ncontrol\"}"),
             std::string("{\"a\":\"\xff\xfe\"}"),
             std::string("{\"a\":\"\xc3\"}"),         // invalid UTF-8
             std::string("{\"a\":\"\xed\xa0\x80\"}"), // an encoded surrogate
             std::string(R"({"a":"\ud800"})"),
             std::string(R"({"a":"\udc00\ud800"})"),
             std::string(R"({"a":"\x41"})"),
             std::string(R"({"a":01})"),
             std::string(R"({"a":1.})"),
             std::string(R"({"a":.5})"),
             std::string(R"({"a":+1})"),
             std::string(R"({"a":NaN})"),
             std::string(R"({'a':1})"),
             std::string("{\"a\":1}\0", 8),
             std::string("\0{}", 3),
             std::string("\xef\xbb\xbf{}"), // BOM
         }) {
        INFO(text);
        CHECK(parses_as_nlohmann_does(text));
    }
    CHECK(pheu::common::parse_json("{").is_discarded());
    CHECK(pheu::common::parse_json(std::string("{\"a\":\"x\0y\"}", 11)).is_discarded());
}

TEST_CASE("nesting deeper than simdjson allows still parses as nlohmann parses it", "[unit][json]") {
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');
    CHECK(parses_as_nlohmann_does(deep));
    CHECK(pheu::common::parse_json(deep).is_array());
    CHECK(pheu::common::parse_json(std::string(100000, '[')).is_discarded());
}

TEST_CASE("mutated webhook bodies parse, or fail, exactly as with nlohmann", "[unit][json]") {
    // A differential test: 20,000 random edits (a byte changed, removed, inserted, or the
    // text cut short) of real bodies, each checked against nlohmann's answer.
    const std::vector<std::string> bodies = {
        k_zalo_text,
        R"({"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},)"
        R"("recipient":{"id":"1"},"timestamp":1700000000000,"message":{"mid":"m.1","text":"Chào shop \u00e0"}}]}]})",
        R"({"events":[{"type":"purchase","event_id":"e1","shopper":{"zalo_app_user_id":"9"},)"
        R"("occurred_at":"2026-12-01T10:00:00+07:00","order":{"total":1250000.5,"items":[{"sku":"A","qty":2}]}}]})",
    };
    static constexpr char k_interesting[] = "{}[]\",:\\0123456789.eE+-tfnu \x80\xc3\xbf\n\0";
    const std::string interesting(k_interesting, sizeof k_interesting - 1); // with the NUL byte
    std::mt19937 random(20261203);
    int parsed = 0;
    int discarded = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text = bodies[random() % bodies.size()];
        for (int edits = 1 + static_cast<int>(random() % 3); edits > 0 && !text.empty(); --edits) {
            const std::size_t at = random() % text.size();
            const char replacement = interesting[random() % interesting.size()];
            switch (random() % 4) {
            case 0:
                text[at] = replacement;
                break;
            case 1:
                text.erase(at, 1);
                break;
            case 2:
                text.insert(at, 1, replacement);
                break;
            default:
                text.resize(at);
                break;
            }
        }
        const json ours = pheu::common::parse_json(text);
        (ours.is_discarded() ? discarded : parsed) += 1;
        INFO(text);
        REQUIRE(same_document(ours, json::parse(text, nullptr, false)));
    }
    // Both outcomes were exercised, so the comparison covered each.
    CHECK(parsed > 1000);
    CHECK(discarded > 1000);
}
