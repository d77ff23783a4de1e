#include "handlers/admin/users_handler.h"

#include "common/password_hash.h"
#include "handlers/admin/admin_common.h"
#include "handlers/admin/staff_user_input.h"
#include "handlers/admin/user_json.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/read_pool.h"
#include "store/user_store.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

UsersHandler::UsersHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply UsersHandler::list(const HttpRequestView&) const {
    auto lease = m_reads.lease();
    json items = json::array();
    for (const auto& user : store::UserStore(lease.db()).list()) {
        items.push_back(user_json(user));
    }
    return ok_json({{"items", items}});
}

HttpReply UsersHandler::create(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto parsed = parse_new_staff_user(body);
        if (const auto* error = std::get_if<common::InputError>(&parsed)) {
            return json_error(400, *error);
        }
        const auto& user = std::get<NewStaffUser>(parsed);
        const std::string hash = common::hash_password(user.password);
        const std::int64_t now = m_clock();
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::UserStore users(db);
            const auto id = users.create(user.name, staff_role_name(user.role), hash, now);
            if (!id) {
                return json_error(409, "already_exists", "Someone already signs in with this name.", "/name");
            }
            audit(db, request, "user.create", user.name, {{"role", staff_role_name(user.role)}}, now);
            return ok_json(user_json(*users.get(*id)), 201);
        });
    });
}

HttpReply UsersHandler::update(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto parsed = parse_staff_user_edit(body);
        if (const auto* error = std::get_if<common::InputError>(&parsed)) {
            return json_error(400, *error);
        }
        const auto& edit = std::get<StaffUserEdit>(parsed);
        const std::optional<std::string> hash =
            edit.password ? std::optional<std::string>(common::hash_password(*edit.password)) : std::nullopt;
        const std::int64_t now = m_clock();
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::UserStore users(db);
            const auto user = id ? users.get(*id) : std::nullopt;
            if (!user) {
                return json_error(404, "not_found", "No user has this id.");
            }
            const StaffRole role = staff_role_named(user->role).value_or(StaffRole::staff);
            if (removes_last_owner(role, user->active, edit, users.active_owners())) {
                return json_error(409, "last_owner", "The shop needs an active owner: make someone else owner first.");
            }
            users.update(user->id,
                         store::StaffUserChange{
                             .role = edit.role ? std::optional<std::string>(staff_role_name(*edit.role)) : std::nullopt,
                             .password_hash = hash,
                             .active = edit.active},
                         now);
            users.close_sessions_of(user->id);
            json detail = json::object();
            if (edit.role) {
                detail["role"] = staff_role_name(*edit.role);
            }
            if (edit.active) {
                detail["active"] = *edit.active;
            }
            if (edit.password) {
                detail["password_changed"] = true;
            }
            audit(db, request, "user.update", user->name, detail, now);
            return ok_json(user_json(*users.get(user->id)));
        });
    });
}

} // namespace pheu::handlers
