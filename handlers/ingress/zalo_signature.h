#pragma once
// Zalo's webhook signature: X-ZEvent-Signature: mac=<hex sha256(app_id + raw body +
// timestamp + oa_secret_key)>. Plain SHA-256 of the concatenation, not an HMAC
// (docs/platforms.md, "Webhooks").
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace pheu::handlers {

// The `timestamp` term: the body's top-level `timestamp` exactly as written (a string's
// characters, or a number's literal text), empty when absent.
std::string zalo_signature_timestamp(std::string_view raw_body, const nlohmann::json& body);

std::string zalo_mac(std::string_view app_id, std::string_view raw_body, std::string_view timestamp,
                     std::string_view oa_secret_key);

// True when `header_value` is "mac=" followed by the expected 64 hex digits (either case,
// surrounding spaces ignored). Compares in constant time.
bool zalo_signature_matches(std::string_view header_value, std::string_view app_id, std::string_view raw_body,
                            std::string_view timestamp, std::string_view oa_secret_key);

// The literal text of a top-level member's value in a JSON object (the last one, as the
// parser keeps), without decoding it; empty when absent. `raw` must be valid JSON.
std::string_view raw_member_text(std::string_view raw, std::string_view key);

} // namespace pheu::handlers
