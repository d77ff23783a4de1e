#include "bot/voucher_code.h"

#include <random>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace pheu::bot {

namespace {

constexpr std::string_view k_letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::string_view k_digits = "23456789";

bool is_wildcard(char c) {
    return c == '#' || c == '?' || c == '*';
}

char pick(std::string_view alphabet, const RandomSource& random) {
    return alphabet[random(static_cast<std::uint32_t>(alphabet.size()))];
}

} // namespace

bool valid_code_pattern(const std::string& pattern) {
    int random_positions = 0;
    bool can_letter = false;
    bool can_digit = false;
    for (char c : pattern) {
        const auto upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (is_wildcard(c)) {
            ++random_positions;
            can_letter = can_letter || c != '#';
            can_digit = can_digit || c != '?';
        } else if ((upper >= 'A' && upper <= 'Z')) {
            can_letter = true;
        } else if (upper >= '0' && upper <= '9') {
            can_digit = true;
        } else if (upper != '-') {
            return false;
        }
    }
    return random_positions >= 4 && can_letter && can_digit;
}

std::string generate_voucher_code(const std::string& pattern, const RandomSource& random) {
    std::string code;
    std::vector<std::size_t> free_positions; // the "*" positions, which may hold either
    for (char c : pattern) {
        if (c == '#') {
            code.push_back(pick(k_digits, random));
        } else if (c == '?') {
            code.push_back(pick(k_letters, random));
        } else if (c == '*') {
            free_positions.push_back(code.size());
            const bool letter = random(2) == 0;
            code.push_back(pick(letter ? k_letters : k_digits, random));
        } else {
            code.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        }
    }
    const bool has_letter = std::any_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool has_digit = std::any_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!free_positions.empty() && (!has_letter || !has_digit)) {
        // Force the missing class into a random free position.
        const std::size_t at = free_positions[random(static_cast<std::uint32_t>(free_positions.size()))];
        code[at] = has_letter ? pick(k_digits, random) : pick(k_letters, random);
    }
    return code;
}

bool is_voucher_code(const std::string& code) {
    const bool letters = std::any_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool digits = std::any_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool allowed = std::all_of(
        code.begin(), code.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; });
    return code.size() >= 6 && letters && digits && allowed;
}

std::string normalise_voucher_code(const std::string& code) {
    std::string normalised;
    for (char c : code) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            normalised.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        }
    }
    return normalised;
}

std::string random_voucher_code(const std::string& pattern) {
    static thread_local std::random_device device;
    return generate_voucher_code(pattern, [](std::uint32_t bound) {
        return std::uniform_int_distribution<std::uint32_t>(0, bound - 1)(device);
    });
}

} // namespace pheu::bot
