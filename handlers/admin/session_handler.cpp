#include "handlers/admin/session_handler.h"

#include "common/crypto.h"
#include "common/password_hash.h"
#include "common/text_fold.h"
#include "handlers/admin/admin_common.h"
#include "handlers/admin/staff_user_input.h"
#include "handlers/admin/user_json.h"
#include "handlers/http/cookies.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/read_pool.h"
#include "store/user_store.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

namespace {

// The session, with what its role may do: the console shows only those screens.
json session_json(const store::StaffUser& user, const std::string& csrf_token, std::int64_t expires_at) {
    json permissions = json::array();
    const auto role = staff_role_named(user.role);
    for (const auto& [permission, id] : k_permission_ids) {
        if (role && role_allows(*role, permission)) {
            permissions.push_back(id);
        }
    }
    return {{"user", user_json(user)},
            {"csrf_token", csrf_token},
            {"expires_at", time_or_null(expires_at)},
            {"permissions", permissions}};
}

// A hash no password matches quickly: checked when the name is unknown, so an unknown name
// takes as long to refuse as a wrong password and names cannot be told apart by timing.
const std::string& decoy_hash() {
    static const std::string hash = common::hash_password(common::random_hex(16));
    return hash;
}

HttpReply wrong_credentials() {
    return json_error(401, "invalid_credentials", "The name or the password is wrong.");
}

} // namespace

SessionHandler::SessionHandler(const AdminAccess& access, store::ReadPool& reads, store::AdminWriter& writer,
                               std::function<std::int64_t()> clock, const common::InstanceShare* share)
    : m_access(access), m_reads(reads), m_writer(writer), m_clock(std::move(clock)), m_failures_by_name(5, 5, share) {}

HttpReply SessionHandler::sign_in(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto name = body.find("name");
        const auto password = body.find("password");
        if (name == body.end() || !name->is_string() || password == body.end() || !password->is_string()) {
            return json_error(400, "invalid_field", "Send the name and the password, as text.");
        }
        const std::string name_key = common::lower_vietnamese(common::trimmed(name->get<std::string>()));
        if (auto refusal = m_failures_by_name.refusal(name_key)) {
            return *refusal;
        }
        std::optional<std::pair<store::StaffUser, std::string>> found;
        {
            auto lease = m_reads.lease();
            found = store::UserStore(lease.db()).credentials(common::trimmed(name->get<std::string>()));
        }
        const bool matches =
            common::password_matches(found ? found->second : decoy_hash(), password->get<std::string>());
        if (!found || !matches || !found->first.active) {
            m_failures_by_name.record_failure(name_key);
            return wrong_credentials();
        }
        const store::StaffUser& user = found->first;
        const std::string token = common::random_hex(32);
        const std::string csrf_token = common::random_hex(32);
        const std::int64_t now = m_clock();
        const std::int64_t expires_at = now + k_session_seconds * 1000;
        m_writer.write([&](store::sql::Connection& db) {
            store::UserStore(db).open_session(common::sha256_hex({token}), user.id, csrf_token, now, expires_at);
            audit_as(db, user_actor(user.name), "session.sign_in", user.name, json::object(), now);
        });
        HttpReply reply = ok_json(session_json(user, csrf_token, expires_at));
        reply.headers.emplace_back("Set-Cookie", server_only_cookie(k_session_cookie, token, k_session_seconds));
        return reply;
    });
}

HttpReply SessionHandler::current(const HttpRequestView& request) const {
    const auto session = m_access.session(request);
    if (!session) {
        return admin_unauthorised();
    }
    return ok_json(session_json(session->user, session->csrf_token, session->expires_at));
}

HttpReply SessionHandler::sign_out(const HttpRequestView& request) const {
    const auto token = cookie_named(request.header("Cookie"), k_session_cookie);
    if (token && !token->empty()) {
        const auto session = m_access.session(request);
        const std::int64_t now = m_clock();
        m_writer.write([&](store::sql::Connection& db) {
            store::UserStore(db).close_session(common::sha256_hex({*token}));
            if (session) {
                audit_as(db, user_actor(session->user.name), "session.sign_out", session->user.name, json::object(),
                         now);
            }
        });
    }
    HttpReply reply{.status = 204, .body = "", .content_type = "application/json", .headers = {}};
    reply.headers.emplace_back("Set-Cookie", server_only_cookie(k_session_cookie, "", 0));
    return reply;
}

HttpReply SessionHandler::change_password(const HttpRequestView& request) const {
    const auto session = m_access.session(request);
    if (!session) {
        return json_error(400, "not_a_person", "The admin token has no password: sign in as a person to change yours.");
    }
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto current = body.find("current_password");
        if (current == body.end() || !current->is_string()) {
            return json_error(400, "invalid_field", "current_password is required.", "/current_password");
        }
        const auto edit =
            parse_staff_user_edit({{"password", body.contains("new_password") ? body["new_password"] : json()}});
        if (const auto* error = std::get_if<common::InputError>(&edit)) {
            common::InputError named = *error;
            named.path = "/new_password";
            return json_error(400, named);
        }
        const std::string name_key = common::lower_vietnamese(session->user.name);
        if (auto refusal = m_failures_by_name.refusal(name_key)) {
            return *refusal;
        }
        std::optional<std::pair<store::StaffUser, std::string>> found;
        {
            auto lease = m_reads.lease();
            found = store::UserStore(lease.db()).credentials(session->user.name);
        }
        if (!found || !common::password_matches(found->second, current->get<std::string>())) {
            m_failures_by_name.record_failure(name_key);
            // 403, not 401: the session is good, only this proof is not.
            return json_error(403, "invalid_credentials", "The current password is wrong.", "/current_password");
        }
        const std::string hash = common::hash_password(*std::get<StaffUserEdit>(edit).password);
        const std::int64_t now = m_clock();
        const std::string kept = common::sha256_hex({*cookie_named(request.header("Cookie"), k_session_cookie)});
        m_writer.write([&](store::sql::Connection& db) {
            store::UserStore users(db);
            users.update(session->user.id, store::StaffUserChange{.password_hash = hash}, now);
            users.close_other_sessions(session->user.id, kept);
            audit(db, request, "user.password", session->user.name, json::object(), now);
        });
        return HttpReply{.status = 204, .body = "", .content_type = "application/json", .headers = {}};
    });
}

} // namespace pheu::handlers
