#include "common/json_fields.h"

namespace pheu::common {

std::string string_field(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

} // namespace pheu::common
