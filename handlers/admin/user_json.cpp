#include "handlers/admin/user_json.h"

#include "handlers/admin/admin_common.h"

namespace pheu::handlers {

nlohmann::json user_json(const store::StaffUser& user) {
    return {{"id", std::to_string(user.id)},
            {"name", user.name},
            {"role", user.role},
            {"active", user.active},
            {"created_at", time_or_null(user.created_at)},
            {"updated_at", time_or_null(user.updated_at)}};
}

} // namespace pheu::handlers
