#include "bot/playbook/holdout.h"

#include <string>

namespace pheu::bot {

namespace {

// FNV-1a, then SplitMix64's finaliser: FNV alone spreads consecutive customer ids poorly
// over the low digits a percentage reads.
std::uint64_t mixed_hash(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    hash ^= hash >> 30;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 27;
    hash *= 0x94d049bb133111ebULL;
    hash ^= hash >> 31;
    return hash;
}

} // namespace

bool in_holdout(std::string_view experiment, std::int64_t customer_id, int percent) {
    if (percent <= 0) {
        return false;
    }
    const std::string key = std::string(experiment) + "/" + std::to_string(customer_id);
    return mixed_hash(key) % 10000 < static_cast<std::uint64_t>(percent) * 100;
}

} // namespace pheu::bot
