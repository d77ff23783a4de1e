#include "handlers/admin/staff_user_input.h"

#include "common/text_fold.h"
#include "templates/vn_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pheu::handlers {

using nlohmann::json;

namespace {

common::InputError invalid(const std::string& path, const std::string& message) {
    return common::InputError{.code = "invalid_field", .message = message, .path = path};
}

std::variant<std::string, common::InputError> password_in(const json& value) {
    if (!value.is_string()) {
        return invalid("/password", "password must be text.");
    }
    const auto password = value.get<std::string>();
    const std::size_t length = templates::utf8_length(password);
    if (length < k_min_password_characters || length > k_max_password_characters) {
        return invalid("/password", "password must be 8 to 128 characters long.");
    }
    return password;
}

std::variant<StaffRole, common::InputError> role_in(const json& value) {
    const auto role = value.is_string() ? staff_role_named(value.get<std::string>()) : std::nullopt;
    if (!role) {
        return invalid("/role", "role must be one of owner, marketer, staff.");
    }
    return *role;
}

} // namespace

std::variant<NewStaffUser, common::InputError> parse_new_staff_user(const json& body) {
    const auto name_field = body.find("name");
    const std::string name =
        name_field != body.end() && name_field->is_string() ? common::trimmed(name_field->get<std::string>()) : "";
    const bool has_control =
        std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (name.empty() || has_control || templates::utf8_length(name) > k_max_user_name_characters) {
        return invalid("/name", "name is required: 1 to 60 characters, the name the person signs in with.");
    }
    auto password = password_in(body.contains("password") ? body["password"] : json());
    if (auto* error = std::get_if<common::InputError>(&password)) {
        return *error;
    }
    auto role = role_in(body.contains("role") ? body["role"] : json());
    if (auto* error = std::get_if<common::InputError>(&role)) {
        return *error;
    }
    return NewStaffUser{.name = name, .password = std::get<std::string>(password), .role = std::get<StaffRole>(role)};
}

std::variant<StaffUserEdit, common::InputError> parse_staff_user_edit(const json& body) {
    StaffUserEdit edit;
    if (body.contains("role")) {
        auto role = role_in(body["role"]);
        if (auto* error = std::get_if<common::InputError>(&role)) {
            return *error;
        }
        edit.role = std::get<StaffRole>(role);
    }
    if (body.contains("password")) {
        auto password = password_in(body["password"]);
        if (auto* error = std::get_if<common::InputError>(&password)) {
            return *error;
        }
        edit.password = std::get<std::string>(password);
    }
    if (body.contains("active")) {
        if (!body["active"].is_boolean()) {
            return invalid("/active", "active must be true or false.");
        }
        edit.active = body["active"].get<bool>();
    }
    if (!edit.role && !edit.password && !edit.active) {
        return invalid("", "Send at least one of role, password, active.");
    }
    return edit;
}

bool removes_last_owner(StaffRole current_role, bool currently_active, const StaffUserEdit& edit, int active_owners) {
    if (current_role != StaffRole::owner || !currently_active || active_owners > 1) {
        return false;
    }
    const bool demoted = edit.role && *edit.role != StaffRole::owner;
    const bool deactivated = edit.active && !*edit.active;
    return demoted || deactivated;
}

} // namespace pheu::handlers
