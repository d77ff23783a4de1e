#pragma once
// Voucher codes generated from a campaign's pattern: "#" is a random digit, "?" a random
// letter, "*" either; anything else is kept as written ("CHAO-****" → "CHAO-7K2Q"). Letters
// and digits leave out the look-alikes O, I, 0 and 1 so a code read aloud in a shop survives.
#include <cstdint>
#include <functional>
#include <string>

namespace pheu::bot {

// Returns a random integer in [0, bound).
using RandomSource = std::function<std::uint32_t(std::uint32_t bound)>;

// Generates a code from `pattern` (upper-cased). The result always holds at least one letter
// and one digit, so it can never be mistaken for an order number or a word.
std::string generate_voucher_code(const std::string& pattern, const RandomSource& random);

// True for a pattern of A–Z, 0–9, "-" and wildcards with at least 4 random positions that
// can give both a letter and a digit.
bool valid_code_pattern(const std::string& pattern);
// A code of `pattern` drawn from the system's random device.
std::string random_voucher_code(const std::string& pattern);

// True for a code shops may import: at least 6 characters of A–Z, 0–9 and '-', holding both
// letters and digits (the shape generated codes have). Expects a normalised code.
bool is_voucher_code(const std::string& code);

// The code as customers type it matched as stored: trimmed, upper-case.
std::string normalise_voucher_code(const std::string& code);

} // namespace pheu::bot
