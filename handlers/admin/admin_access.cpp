#include "handlers/admin/admin_access.h"

#include "common/crypto.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/cookies.h"
#include "handlers/http/json_error.h"
#include "store/read_pool.h"

namespace pheu::handlers {

AdminAccess::AdminAccess(std::string admin_token, store::ReadPool& reads, std::function<std::int64_t()> clock)
    : m_admin_token(std::move(admin_token)), m_reads(reads), m_clock(std::move(clock)) {}

bool AdminAccess::bears_admin_token(const HttpRequestView& request) const {
    return !m_admin_token.empty() && bearer_token_matches(request.header("Authorization"), m_admin_token);
}

std::optional<store::StaffSession> AdminAccess::session(const HttpRequestView& request) const {
    const auto token = cookie_named(request.header("Cookie"), k_session_cookie);
    if (!token || token->empty()) {
        return std::nullopt;
    }
    auto lease = m_reads.lease();
    return store::UserStore(lease.db()).session(common::sha256_hex({*token}), m_clock());
}

std::variant<std::string, HttpReply> AdminAccess::admit(const HttpRequestView& request, Permission permission) const {
    // A token that is wrong is refused, even beside a good session: whoever sent it meant it.
    if (!request.header("Authorization").empty()) {
        if (bears_admin_token(request)) {
            return admin_actor(m_admin_token);
        }
        return admin_unauthorised();
    }
    const auto session = this->session(request);
    if (!session) {
        return admin_unauthorised();
    }
    if (request.method != Method::get &&
        !common::constant_time_equal(request.header(k_csrf_header), session->csrf_token)) {
        return json_error(403, "csrf_token_missing",
                          std::string("A signed-in change needs the session's CSRF token in the ") + k_csrf_header +
                              " header.");
    }
    const auto role = staff_role_named(session->user.role);
    if (!role || !role_allows(*role, permission)) {
        return json_error(403, "forbidden",
                          "The " + session->user.role + " role may not do this; ask the shop's owner.");
    }
    return user_actor(session->user.name);
}

std::function<HttpReply(const HttpRequestView&)> admin_route(const AdminAccess& access, Permission permission,
                                                             std::function<HttpReply(const HttpRequestView&)> handle) {
    return [&access, permission, handle = std::move(handle)](const HttpRequestView& request) {
        auto admitted = access.admit(request, permission);
        if (auto* refusal = std::get_if<HttpReply>(&admitted)) {
            return std::move(*refusal);
        }
        HttpRequestView named = request;
        named.actor = std::move(std::get<std::string>(admitted));
        return handle(named);
    };
}

std::string user_actor(const std::string& name) {
    return "user:" + name;
}

} // namespace pheu::handlers
