#include "templates/vn_format.h"

#include <utf8proc.h>

#include <cctype>

namespace pheu::templates {

namespace {

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool is_blank(std::string_view text) {
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string format_money_vnd(std::int64_t amount) {
    const bool negative = amount < 0;
    // Unsigned, so the most negative amount has a magnitude too.
    std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    std::string digits = std::to_string(magnitude);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            grouped.push_back('.');
        }
        grouped.push_back(digits[i]);
    }
    return (negative ? "-" : "") + grouped + "đ";
}

std::string display_name(std::string_view name) {
    return is_blank(name) ? std::string("bạn") : std::string(name);
}

std::string capitalize_first(std::string_view text) {
    utf8proc_int32_t first = 0;
    const auto used = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                       static_cast<utf8proc_ssize_t>(text.size()), &first);
    if (used <= 0) {
        return std::string(text);
    }
    utf8proc_uint8_t upper[4];
    const auto length = utf8proc_encode_char(utf8proc_toupper(first), upper);
    return std::string(reinterpret_cast<const char*>(upper), static_cast<std::size_t>(length)) +
           std::string(text.substr(static_cast<std::size_t>(used)));
}

std::size_t utf8_length(std::string_view text) {
    std::size_t length = 0;
    for (char c : text) {
        length += is_continuation_byte(c) ? 0U : 1U;
    }
    return length;
}

std::string truncate_utf8(std::string_view text, std::size_t max_characters) {
    if (utf8_length(text) <= max_characters || max_characters == 0) {
        return max_characters == 0 ? std::string() : std::string(text);
    }
    std::size_t kept = 0;
    std::size_t end = 0;
    while (end < text.size()) {
        if (!is_continuation_byte(text[end])) {
            if (kept == max_characters - 1) {
                break;
            }
            ++kept;
        }
        ++end;
    }
    return std::string(text.substr(0, end)) + "…";
}

} // namespace pheu::templates
