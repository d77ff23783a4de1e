#pragma once
// Who may do what in the admin API: the three roles a shop gives its people, and the areas
// of the API each route belongs to (declared in handlers/routes.cpp). Pure.
//
//   owner     everything, the people included;
//   marketer  templates, the playbook, vouchers, products, segments, broadcasts, reports,
//             and the customers and conversations they reach;
//   staff     customers, conversations and replies: no settings, no reports, no exports.
//
// The admin token (scripts, the API, creating the first owner) may do everything.
#include "common/enum_ids.h"

#include <optional>
#include <string_view>

namespace pheu::handlers {

enum class StaffRole { owner, marketer, staff };

enum class Permission {
    conversations, // customers, their messages, staff replies, the messages list
    marketing,     // templates, playbook, vouchers, products, segments, broadcasts, reports
    personal_data, // exports of personal data (a customer's, the CSVs) and erasure
    shop_settings, // settings, connections, the audit log, imports
    people,        // the console's users
};

inline constexpr common::EnumIds<Permission, 5> k_permission_ids{{{Permission::conversations, "conversations"},
                                                                  {Permission::marketing, "marketing"},
                                                                  {Permission::personal_data, "personal_data"},
                                                                  {Permission::shop_settings, "shop_settings"},
                                                                  {Permission::people, "people"}}};

inline constexpr common::EnumIds<StaffRole, 3> k_staff_role_ids{
    {{StaffRole::owner, "owner"}, {StaffRole::marketer, "marketer"}, {StaffRole::staff, "staff"}}};

inline const char* staff_role_name(StaffRole role) {
    return common::id_of(k_staff_role_ids, role);
}
inline std::optional<StaffRole> staff_role_named(std::string_view name) {
    return common::parse_id(k_staff_role_ids, name);
}

constexpr bool role_allows(StaffRole role, Permission permission) {
    switch (role) {
    case StaffRole::owner:
        return true;
    case StaffRole::marketer:
        return permission == Permission::conversations || permission == Permission::marketing;
    case StaffRole::staff:
        return permission == Permission::conversations;
    }
    return false;
}

} // namespace pheu::handlers
