#include "common/json_parse.h"

#include <simdjson.h>

#include <cstdint>
#include <string>

namespace pheu::common {

namespace {

using nlohmann::json;

json from_element(simdjson::dom::element element) {
    switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
        json object = json::object();
        for (const simdjson::dom::key_value_pair member : simdjson::dom::object(element)) {
            // operator[] assigns, so of duplicate keys the last one stays, as with nlohmann.
            object[std::string(member.key)] = from_element(member.value);
        }
        return object;
    }
    case simdjson::dom::element_type::ARRAY: {
        json array = json::array();
        for (const simdjson::dom::element item : simdjson::dom::array(element)) {
            array.push_back(from_element(item));
        }
        return array;
    }
    case simdjson::dom::element_type::STRING:
        return json(std::string(std::string_view(element)));
    case simdjson::dom::element_type::INT64: {
        // nlohmann keeps every integer without a minus sign unsigned. ("-0", which nlohmann
        // keeps signed, comes out unsigned here: the same value and the same text.)
        const std::int64_t value = std::int64_t(element);
        return value >= 0 ? json(static_cast<std::uint64_t>(value)) : json(value);
    }
    case simdjson::dom::element_type::UINT64:
        return json(std::uint64_t(element));
    case simdjson::dom::element_type::DOUBLE:
        return json(double(element));
    case simdjson::dom::element_type::BOOL:
        return json(bool(element));
    case simdjson::dom::element_type::NULL_VALUE:
        return json(nullptr);
    }
    return json(json::value_t::discarded);
}

} // namespace

json parse_json(std::string_view text) {
    // One parser per thread: it keeps its buffers from one document to the next.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    // nlohmann takes a NUL byte for the end of the input, simdjson does not: text holding one
    // (never valid JSON beyond that byte) gets nlohmann's reading.
    const bool has_nul = text.find('\0') != std::string_view::npos;
    if (!has_nul && parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS) {
        return from_element(root);
    }
    return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

} // namespace pheu::common
