#include "common/text_fold.h"

#include <utf8proc.h>

#include <cstdlib>

namespace pheu::common {

namespace {

void append_utf8(std::string& out, utf8proc_int32_t code_point) {
    utf8proc_uint8_t buffer[4];
    const auto length = utf8proc_encode_char(code_point, buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

bool is_word_character(utf8proc_int32_t code_point) {
    switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
        return true;
    default:
        return false;
    }
}

bool is_ascii_word_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace

std::string fold_vietnamese(std::string_view text) {
    std::string folded;
    folded.reserve(text.size());
    // A separator only notes that a space is due; it is written before the next word
    // character, so the result never starts or ends with a space, nor holds two in a row.
    bool pending_space = false;
    const auto separate_words = [&] { pending_space = !folded.empty(); };
    const auto start_word_character = [&] {
        if (pending_space) {
            folded.push_back(' ');
            pending_space = false;
        }
    };
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto remaining = static_cast<utf8proc_ssize_t>(text.size());
    while (remaining > 0) {
        // ASCII, most bytes of a Vietnamese message, folds without utf8proc: letters and
        // digits are word characters, everything else separates words.
        if (*bytes < 0x80) {
            const char c = static_cast<char>(*bytes);
            ++bytes;
            --remaining;
            if (!is_ascii_word_character(c)) {
                separate_words();
                continue;
            }
            start_word_character();
            folded.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
            continue;
        }
        utf8proc_int32_t code_point = 0;
        const utf8proc_ssize_t used = utf8proc_iterate(bytes, remaining, &code_point);
        if (used <= 0) { // an invalid byte: skip it
            ++bytes;
            --remaining;
            continue;
        }
        bytes += used;
        remaining -= used;
        // Decompose (NFD) and keep the base letters; the tone and vowel marks are the
        // combining characters that follow them.
        utf8proc_int32_t decomposed[8];
        int last_boundclass = 0;
        const utf8proc_ssize_t parts = utf8proc_decompose_char(
            code_point, decomposed, 8, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD),
            &last_boundclass);
        for (utf8proc_ssize_t i = 0; i < parts && i < 8; ++i) {
            utf8proc_int32_t part = decomposed[i];
            if (utf8proc_category(part) == UTF8PROC_CATEGORY_MN) {
                continue;
            }
            if (part == 0x0111) { // "đ" has no decomposition: it is its own letter
                part = 'd';
            }
            if (!is_word_character(part)) {
                separate_words();
                continue;
            }
            start_word_character();
            append_utf8(folded, part);
        }
    }
    return folded;
}

std::string lower_vietnamese(std::string_view text) {
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                     &mapped, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    if (length < 0) { // invalid UTF-8: fall back on the valid part, mark by mark
        std::string valid;
        const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
        auto remaining = static_cast<utf8proc_ssize_t>(text.size());
        while (remaining > 0) {
            utf8proc_int32_t code_point = 0;
            const utf8proc_ssize_t used = utf8proc_iterate(bytes, remaining, &code_point);
            if (used <= 0) {
                ++bytes;
                --remaining;
                continue;
            }
            valid.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(used));
            bytes += used;
            remaining -= used;
        }
        return lower_vietnamese(valid);
    }
    std::string lowered;
    lowered.reserve(static_cast<std::size_t>(length));
    bool pending_space = false;
    const utf8proc_uint8_t* bytes = mapped;
    utf8proc_ssize_t remaining = length;
    while (remaining > 0) {
        utf8proc_int32_t code_point = 0;
        const utf8proc_ssize_t used = utf8proc_iterate(bytes, remaining, &code_point);
        bytes += used;
        remaining -= used;
        const auto category = utf8proc_category(code_point);
        const bool mark = category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_MC;
        if (!is_word_character(code_point) && !(mark && !lowered.empty() && !pending_space)) {
            pending_space = !lowered.empty();
            continue;
        }
        if (pending_space) {
            lowered.push_back(' ');
            pending_space = false;
        }
        append_utf8(lowered, code_point);
    }
    std::free(mapped);
    return lowered;
}

std::string trimmed(std::string_view text, std::string_view spaces) {
    const auto first = text.find_first_not_of(spaces);
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(first, text.find_last_not_of(spaces) - first + 1));
}

} // namespace pheu::common
