#include "handlers/ingress/zalo_signature.h"

#include "common/crypto.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace pheu::handlers {

using common::constant_time_equal;
using common::hmac_sha256_hex;
using common::sha256_hex;

namespace {

void skip_space(std::string_view text, std::size_t& pos) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
        ++pos;
    }
}

// `pos` is at an opening quote; leaves it just past the closing one.
void skip_string(std::string_view text, std::size_t& pos) {
    ++pos;
    while (pos < text.size() && text[pos] != '"') {
        pos += text[pos] == '\\' ? 2U : 1U;
    }
    ++pos;
}

void skip_value(std::string_view text, std::size_t& pos) {
    if (pos >= text.size()) {
        return;
    }
    if (text[pos] == '"') {
        skip_string(text, pos);
        return;
    }
    if (text[pos] == '{' || text[pos] == '[') {
        int depth = 0;
        while (pos < text.size()) {
            char c = text[pos];
            if (c == '"') {
                skip_string(text, pos);
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
                if (depth == 0) {
                    ++pos;
                    return;
                }
            }
            ++pos;
        }
        return;
    }
    while (pos < text.size() && text[pos] != ',' && text[pos] != '}' && text[pos] != ']' &&
           !std::isspace(static_cast<unsigned char>(text[pos]))) {
        ++pos;
    }
}

} // namespace

std::string_view raw_member_text(std::string_view raw, std::string_view key) {
    std::string_view found;
    std::size_t pos = 0;
    skip_space(raw, pos);
    if (pos >= raw.size() || raw[pos] != '{') {
        return found;
    }
    ++pos;
    while (pos < raw.size()) {
        skip_space(raw, pos);
        if (pos >= raw.size() || raw[pos] != '"') {
            break; // '}' of an empty object, or the end
        }
        const std::size_t key_start = pos + 1;
        skip_string(raw, pos);
        const std::string_view member = raw.substr(key_start, pos - key_start - 1);
        skip_space(raw, pos);
        ++pos; // ':'
        skip_space(raw, pos);
        const std::size_t value_start = pos;
        skip_value(raw, pos);
        if (member == key) {
            found = raw.substr(value_start, pos - value_start);
        }
        skip_space(raw, pos);
        if (pos < raw.size() && raw[pos] == ',') {
            ++pos;
        }
    }
    return found;
}

std::string zalo_signature_timestamp(std::string_view raw_body, const nlohmann::json& body) {
    auto timestamp = body.find("timestamp");
    if (timestamp == body.end() || timestamp->is_null()) {
        return {};
    }
    if (timestamp->is_string()) {
        return timestamp->get<std::string>();
    }
    // Numbers are hashed as written: 1.7e12 must not become 1700000000000.
    return std::string(raw_member_text(raw_body, "timestamp"));
}

std::string zalo_mac(std::string_view app_id, std::string_view raw_body, std::string_view timestamp,
                     std::string_view oa_secret_key) {
    return common::sha256_hex({app_id, raw_body, timestamp, oa_secret_key});
}

bool zalo_signature_matches(std::string_view header_value, std::string_view app_id, std::string_view raw_body,
                            std::string_view timestamp, std::string_view oa_secret_key) {
    while (!header_value.empty() && header_value.front() == ' ') {
        header_value.remove_prefix(1);
    }
    while (!header_value.empty() && header_value.back() == ' ') {
        header_value.remove_suffix(1);
    }
    constexpr std::string_view k_prefix = "mac=";
    if (header_value.size() != k_prefix.size() + 64) {
        return false;
    }
    std::string given;
    given.reserve(64);
    for (std::size_t i = 0; i < k_prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(header_value[i])) != k_prefix[i]) {
            return false;
        }
    }
    for (char c : header_value.substr(k_prefix.size())) {
        given.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return common::constant_time_equal(given, zalo_mac(app_id, raw_body, timestamp, oa_secret_key));
}

} // namespace pheu::handlers
