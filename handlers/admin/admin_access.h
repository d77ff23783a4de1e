#pragma once
// Who is asking the admin API, and whether they may: the admin token (machines, scripts,
// the first owner) or a console session (a cookie naming a row of user_sessions, whose
// user's role decides, staff_access.h). A session's unsafe requests (POST, PUT, DELETE) must
// also carry its CSRF token in a header, which another site's page cannot read or forge.
#include "handlers/admin/staff_access.h"
#include "handlers/http/http_exchange.h"
#include "store/user_store.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace pheu::store {
class ReadPool;
}

namespace pheu::handlers {

inline constexpr const char* k_session_cookie = "pheu_session";
inline constexpr const char* k_csrf_header = "X-CSRF-Token";

class AdminAccess {
public:
    AdminAccess(std::string admin_token, store::ReadPool& reads, std::function<std::int64_t()> clock);

    // The actor for the audit log when the request may do `permission`; else the 401 (no
    // or wrong credentials, an ended session) or 403 (a missing CSRF token, a role without
    // the permission) to answer.
    std::variant<std::string, HttpReply> admit(const HttpRequestView& request, Permission permission) const;
    // The open session the request's cookie names, if any.
    std::optional<store::StaffSession> session(const HttpRequestView& request) const;
    // Whether the request bears the admin token.
    bool bears_admin_token(const HttpRequestView& request) const;

private:
    std::string m_admin_token;
    store::ReadPool& m_reads;
    std::function<std::int64_t()> m_clock;
};

// An admin route, as the route table declares it (handlers/routes.cpp): `handle` runs only
// for a request `access` admits to `permission`, and sees who made it in `actor`.
std::function<HttpReply(const HttpRequestView&)> admin_route(const AdminAccess& access, Permission permission,
                                                             std::function<HttpReply(const HttpRequestView&)> handle);

// "user:" and the name, for the audit log.
std::string user_actor(const std::string& name);

} // namespace pheu::handlers
