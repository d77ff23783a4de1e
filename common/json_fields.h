#pragma once
// Reading optional members of untrusted or stored JSON without throwing.
#include <nlohmann/json.hpp>

#include <string>

namespace pheu::common {

// A string member, empty when absent, not a string, or `object` is not an object.
std::string string_field(const nlohmann::json& object, const char* key);

} // namespace pheu::common
