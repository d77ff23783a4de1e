#include "templates/vn_format.h"

#include "common/gender.h"

#include <cstdlib>
#include <vector>

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

namespace {

// The family names most Vietnamese carry (Nguyễn alone is about four in ten), as written and
// without marks, as display names often are.
// Names that are also common given names (Mai, Hà, Lâm, Châu) are left out: "Mai Anh" is
// someone called Mai Anh.
constexpr std::string_view k_family_names[] = {
    "nguyễn", "trần", "lê",    "phạm", "hoàng", "huỳnh", "phan",   "vũ",    "võ",     "đặng", "bùi",  "đỗ",
    "hồ",     "ngô",  "dương", "lý",   "đinh",  "đoàn",  "trương", "trịnh", "nguyen", "tran", "pham", "hoang",
    "huynh",  "phan", "dang",  "bui",  "ngo",   "duong", "dinh",   "doan",  "truong", "trinh"};

std::string lower_word(std::string_view word) {
    utf8proc_uint8_t* mapped = nullptr;
    const auto length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(word.data()), static_cast<utf8proc_ssize_t>(word.size()),
                     &mapped, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    if (length < 0) {
        return std::string(word);
    }
    std::string lowered(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
    std::free(mapped);
    return lowered;
}

bool is_family_name(std::string_view word) {
    const std::string lowered = lower_word(word);
    for (std::string_view family : k_family_names) {
        if (lowered == family) {
            return true;
        }
    }
    return false;
}

std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t start = 0;
    while (start < text.size()) {
        while (start < text.size() && text[start] == ' ') {
            ++start;
        }
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (end > start) {
            words.push_back(text.substr(start, end - start));
        }
        start = end;
    }
    return words;
}

} // namespace

std::string given_name(std::string_view name) {
    const auto words = words_of(name);
    if (words.empty()) {
        return "bạn";
    }
    if (words.size() >= 2 && is_family_name(words.back()) && !is_family_name(words.front())) {
        return std::string(words.front());
    }
    if (words.size() >= 2 && is_family_name(words.front())) {
        return std::string(words.back());
    }
    return std::string(
        name.substr(static_cast<std::size_t>(words.front().data() - name.data()),
                    static_cast<std::size_t>(words.back().data() + words.back().size() - words.front().data())));
}

std::string honorific(std::string_view gender) {
    const auto parsed = common::parse_gender(gender);
    if (!parsed) {
        return "bạn";
    }
    return *parsed == common::Gender::male ? "anh" : "chị";
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
