#pragma once
// What an owner sends to create or change a console user, checked before anything is
// hashed or stored. Pure.
#include "common/input_error.h"
#include "handlers/admin/staff_access.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <variant>

namespace pheu::handlers {

// A password: 8 to 128 characters. Long enough that the sign-in limit makes guessing
// hopeless; a passphrase in Vietnamese with diacritics counts its letters, not its bytes.
inline constexpr std::size_t k_min_password_characters = 8;
inline constexpr std::size_t k_max_password_characters = 128;
// A name: 1 to 60 characters, no control characters, trimmed. What the audit log shows.
inline constexpr std::size_t k_max_user_name_characters = 60;

struct NewStaffUser {
    std::string name;
    std::string password;
    StaffRole role = StaffRole::staff;
};

struct StaffUserEdit {
    std::optional<StaffRole> role = std::nullopt;
    std::optional<std::string> password = std::nullopt;
    std::optional<bool> active = std::nullopt;
};

// {"name","password","role"}.
std::variant<NewStaffUser, common::InputError> parse_new_staff_user(const nlohmann::json& body);
// {"role"?, "password"?, "active"?}: at least one of them.
std::variant<StaffUserEdit, common::InputError> parse_staff_user_edit(const nlohmann::json& body);

// Whether a change to a user leaves the shop without an active owner: the last one demoted
// or deactivated. `active_owners` counts the user too when they are one.
bool removes_last_owner(StaffRole current_role, bool currently_active, const StaffUserEdit& edit, int active_owners);

} // namespace pheu::handlers
