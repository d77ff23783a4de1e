#pragma once
// Folds Vietnamese text for matching: lower case, no diacritics, "đ" as "d", punctuation
// as spaces, runs of spaces as one. "Có KHUYẾN MÃI không?" and "co khuyen mai khong" fold
// to the same text. Input in either Unicode normal form (iOS keyboards send decomposed
// marks) folds alike; invalid UTF-8 bytes are dropped.
#include <string>
#include <string_view>

namespace pheu::common {

std::string fold_vietnamese(std::string_view text);

// Lower case with the diacritics kept (composed, NFC), punctuation as spaces, runs of spaces
// as one: "Dừng lại!!" → "dừng lại", "ĐÚNG" → "đúng". For the words whose meaning the marks
// decide ("dừng" stop, "đúng" yes, "dùng" use), which folding would make one word.
std::string lower_vietnamese(std::string_view text);

// `text` without the `spaces` at either end.
std::string trimmed(std::string_view text, std::string_view spaces = " \t\r\n");

} // namespace pheu::common
