#include "handlers/ingress/json_fields.h"

namespace pheu::handlers {

namespace {
const nlohmann::json& empty_object() {
    static const nlohmann::json k_empty = nlohmann::json::object();
    return k_empty;
}
} // namespace

std::string id_text(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    auto found = object.find(key);
    if (found == object.end()) {
        return {};
    }
    if (found->is_string()) {
        return found->get<std::string>();
    }
    if (found->is_number_unsigned() || found->is_number_integer()) {
        return found->dump();
    }
    return {};
}

std::optional<std::int64_t> epoch_ms_field(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    auto found = object.find(key);
    if (found == object.end()) {
        return std::nullopt;
    }
    if (found->is_number_integer()) {
        return found->get<std::int64_t>();
    }
    if (found->is_number_unsigned()) {
        const auto value = found->get<std::uint64_t>();
        return value <= static_cast<std::uint64_t>(INT64_MAX)
                   ? std::optional<std::int64_t>(static_cast<std::int64_t>(value))
                   : std::nullopt;
    }
    if (found->is_string()) {
        const auto& text = found->get_ref<const std::string&>();
        if (text.empty() || text.size() > 18) {
            return std::nullopt;
        }
        std::int64_t value = 0;
        for (char c : text) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
    return std::nullopt;
}

const nlohmann::json& object_field(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return empty_object();
    }
    auto found = object.find(key);
    return found != object.end() && found->is_object() ? *found : empty_object();
}

bool true_field(const nlohmann::json& object, const char* key) {
    auto found = object.find(key);
    return found != object.end() && found->is_boolean() && found->get<bool>();
}

} // namespace pheu::handlers
