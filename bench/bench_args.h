#pragma once
// Reading the benchmarks' command lines.
#include <sstream>
#include <string>
#include <vector>

namespace pheu::bench {

// "300,1000,2000" → {300, 1000, 2000}.
inline std::vector<int> int_list(const std::string& text) {
    std::vector<int> values;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        values.push_back(std::stoi(item));
    }
    return values;
}

} // namespace pheu::bench
