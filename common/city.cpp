#include "common/city.h"

#include "common/text_fold.h"

#include <array>
#include <utility>

namespace pheu::common {

namespace {

// Folded, so "tp." (a space after folding) and "tỉnh" are matched alike.
constexpr std::array<std::string_view, 3> k_prefixes = {"thanh pho ", "tp ", "tinh "};

// Short names shoppers write for the cities most shops sell to, folded and without spaces.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> k_short_names = {{
    {"hcm", "ho chi minh"},
    {"tphcm", "ho chi minh"},
    {"saigon", "ho chi minh"},
    {"sg", "ho chi minh"},
    {"hochiminh", "ho chi minh"},
    {"hn", "ha noi"},
    {"hanoi", "ha noi"},
    {"danang", "da nang"},
    {"haiphong", "hai phong"},
}};

std::string without_spaces(const std::string& text) {
    std::string joined;
    for (char c : text) {
        if (c != ' ') {
            joined += c;
        }
    }
    return joined;
}

} // namespace

std::string city_key(std::string_view text) {
    std::string key = fold_vietnamese(text);
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (std::string_view prefix : k_prefixes) {
            if (key.starts_with(prefix)) {
                key.erase(0, prefix.size());
                stripped = true;
            }
        }
    }
    if (key.ends_with(" city")) { // "Ho Chi Minh City", as English forms write it
        key.erase(key.size() - 5);
    }
    const std::string joined = without_spaces(key);
    for (const auto& [short_name, city] : k_short_names) {
        if (joined == short_name) {
            return std::string(city);
        }
    }
    return key;
}

} // namespace pheu::common
