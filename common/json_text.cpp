#include "common/json_text.h"

#include <charconv>
#include <string_view>

namespace pheu::common {

namespace {

using nlohmann::json;

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

// Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF) that starts at text[at] with a byte of 0x80 or more; 0 if none.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const std::size_t left = text.size() - at;
    const unsigned char lead = byte(0);
    if (lead >= 0xC2 && lead <= 0xDF) {
        return left >= 2 && is_continuation(byte(1)) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (left < 3 || !is_continuation(byte(1)) || !is_continuation(byte(2))) {
            return 0;
        }
        const bool overlong = lead == 0xE0 && byte(1) < 0xA0;
        const bool surrogate = lead == 0xED && byte(1) > 0x9F;
        return overlong || surrogate ? 0 : 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (left < 4 || !is_continuation(byte(1)) || !is_continuation(byte(2)) || !is_continuation(byte(3))) {
            return 0;
        }
        const bool overlong = lead == 0xF0 && byte(1) < 0x90;
        const bool past_unicode = lead == 0xF4 && byte(1) > 0x8F;
        return overlong || past_unicode ? 0 : 4;
    }
    return 0;
}

// nlohmann's escapes: the short forms where JSON has them, \u00xx (lower-case hex) for the
// other control characters.
void append_escape(std::string& out, unsigned char c) {
    static constexpr char k_hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\f':
        out += "\\f";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    default:
        out += "\\u00";
        out.push_back(k_hex[c >> 4]);
        out.push_back(k_hex[c & 0x0F]);
    }
}

void append_string(std::string& out, std::string_view text) {
    const std::size_t start = out.size();
    out.push_back('"');
    std::size_t run = 0; // where the bytes not yet copied begin
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t length = utf8_sequence_length(text, i);
            if (length == 0) {
                out.resize(start);
                out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
                return;
            }
            i += length;
        } else if (c < 0x20 || c == '"' || c == '\\') {
            out.append(text, run, i - run);
            append_escape(out, c);
            run = ++i;
        } else {
            ++i;
        }
    }
    out.append(text, run, text.size() - run);
    out.push_back('"');
}

template <typename Integer> void append_integer(std::string& out, Integer value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

void append_value(std::string& out, const json& value) {
    switch (value.type()) {
    case json::value_t::object: {
        JsonObjectWriter object(out);
        for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
            object.member(key, member);
        }
        object.close();
        return;
    }
    case json::value_t::array: {
        out.push_back('[');
        bool first = true;
        for (const json& element : value.get_ref<const json::array_t&>()) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            append_value(out, element);
        }
        out.push_back(']');
        return;
    }
    case json::value_t::string:
        append_string(out, value.get_ref<const std::string&>());
        return;
    case json::value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        return;
    case json::value_t::null:
        out += "null";
        return;
    case json::value_t::number_integer:
        append_integer(out, value.get<json::number_integer_t>());
        return;
    case json::value_t::number_unsigned:
        append_integer(out, value.get<json::number_unsigned_t>());
        return;
    default: // floats, binary, discarded: rare in an event, and nlohmann's format is the reference
        out += value.dump(-1, ' ', false, json::error_handler_t::replace);
        return;
    }
}

} // namespace

std::string compact_json_text(const nlohmann::json& value) {
    std::string out;
    out.reserve(512);
    append_value(out, value);
    return out;
}

JsonObjectWriter::JsonObjectWriter(std::string& out) : m_out(out) {
    m_out.push_back('{');
}

void JsonObjectWriter::start_member(std::string_view key) {
    if (!m_first) {
        m_out.push_back(',');
    }
    m_first = false;
    append_string(m_out, key);
    m_out.push_back(':');
}

JsonObjectWriter& JsonObjectWriter::member(std::string_view key, std::string_view text) {
    start_member(key);
    append_string(m_out, text);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::member(std::string_view key, bool value) {
    start_member(key);
    m_out += value ? "true" : "false";
    return *this;
}

JsonObjectWriter& JsonObjectWriter::member(std::string_view key, std::int64_t value) {
    start_member(key);
    append_integer(m_out, value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::member(std::string_view key, const nlohmann::json& value) {
    start_member(key);
    append_value(m_out, value);
    return *this;
}

JsonObjectWriter JsonObjectWriter::object(std::string_view key) {
    start_member(key);
    return JsonObjectWriter(m_out);
}

void JsonObjectWriter::close() {
    m_out.push_back('}');
}

} // namespace pheu::common
