#pragma once
// A domain word stored or sent by its id: one table of (value, id) pairs per enum, read both
// ways, so an enum's ids are written once.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace pheu::common {

template <typename Enum, std::size_t N> using EnumIds = std::array<std::pair<Enum, const char*>, N>;

// The id of `value`; every enumerator is expected in the table (the first id otherwise).
template <typename Enum, std::size_t N> constexpr const char* id_of(const EnumIds<Enum, N>& ids, Enum value) {
    for (const auto& [known, id] : ids) {
        if (known == value) {
            return id;
        }
    }
    return ids.front().second;
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> parse_id(const EnumIds<Enum, N>& ids, std::string_view id) {
    for (const auto& [value, known] : ids) {
        if (id == known) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace pheu::common
