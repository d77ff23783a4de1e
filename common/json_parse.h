#pragma once
// Parses JSON text into an nlohmann::json document, with the answer nlohmann's own
// `json::parse(text, nullptr, false)` gives, in a fraction of the time for the documents the
// webhooks carry.
//
// nlohmann's lexer takes a document a byte at a time, copying each into a token buffer and
// each string character into its string one push_back at a time: 45k of the 109k instructions
// the HTTP loop spent on a 450-byte Zalo webhook (callgrind). simdjson (Debian's
// libsimdjson-dev) validates and tokenises it with SIMD instead, and the document is then
// built from its tape. simdjson keeps to RFC 8259 strictly; whatever it refuses (malformed
// text, nesting deeper than it allows, integers beyond 64 bits, which nlohmann reads as
// doubles) is handed to nlohmann, so that its answer, a document or a discarded value, is
// the answer here too, for every input. tests/unit/json_parse_test.cpp holds both to it.
#include <nlohmann/json.hpp>

#include <string_view>

namespace pheu::common {

// A discarded value (`is_discarded()`) when `text` is not one JSON document.
nlohmann::json parse_json(std::string_view text);

} // namespace pheu::common
