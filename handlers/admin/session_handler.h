#pragma once
// Signing in to the console: POST /api/v1/session {"name","password"} opens a session (a
// cookie, HttpOnly, Secure, SameSite=Strict, 12 hours) and answers the user and the CSRF
// token the console sends with every change; GET /api/v1/session answers them again (a
// reloaded page); DELETE /api/v1/session signs out. Wrong passwords count against the peer
// (the server's failed-authentication guard) and against the name, so guessing one
// person's password from many addresses is as slow as from one. A signed-in person changes
// their own password here too.
#include "handlers/admin/admin_access.h"
#include "handlers/http/failed_auth_guard.h"
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class AdminWriter;
class ReadPool;
} // namespace pheu::store

namespace pheu::handlers {

inline constexpr std::int64_t k_session_seconds = 12 * 3600; // a working day, then sign in again

class SessionHandler {
public:
    // `share`: the failures a name may make are shared by the instances on one database.
    SessionHandler(const AdminAccess& access, store::ReadPool& reads, store::AdminWriter& writer,
                   std::function<std::int64_t()> clock, const common::InstanceShare* share = nullptr);

    // 200 {"user","csrf_token","expires_at"} and the cookie; 401 "invalid_credentials";
    // 429 after too many failures for the name.
    HttpReply sign_in(const HttpRequestView& request) const;
    // 200 as sign_in for an open session; 401 otherwise.
    HttpReply current(const HttpRequestView& request) const;
    // 204, the session closed and the cookie cleared.
    HttpReply sign_out(const HttpRequestView& request) const;
    // PUT /api/v1/session/password {"current_password","new_password"}: a signed-in person
    // changes their own password; their other sessions end. 204; 400 a bad new password or
    // the admin token (it has none); 403 "invalid_credentials" a wrong current password.
    HttpReply change_password(const HttpRequestView& request) const;

private:
    const AdminAccess& m_access;
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
    mutable FailedAuthGuard m_failures_by_name;
};

} // namespace pheu::handlers
