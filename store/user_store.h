#pragma once
// SQL over the console's people (users) and their signed-in sessions (user_sessions). A
// user's role is kept as its name ("owner", "marketer", "staff"); what a role may do is
// decided above the store (handlers/admin/staff_access.h).
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct StaffUser {
    std::int64_t id = 0;
    std::string name;
    std::string role;
    bool active = true;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

// A session still open, with the user it belongs to (active users only).
struct StaffSession {
    StaffUser user;
    std::string csrf_token;
    std::int64_t expires_at = 0;
};

// What an update changes; fields left empty stay as they are.
struct StaffUserChange {
    std::optional<std::string> role = std::nullopt;
    std::optional<std::string> password_hash = std::nullopt;
    std::optional<bool> active = std::nullopt;
};

class UserStore {
public:
    explicit UserStore(sql::Connection& db);

    std::vector<StaffUser> list();
    std::optional<StaffUser> get(std::int64_t id);
    // The user and their password hash, by name (any case), for signing in.
    std::optional<std::pair<StaffUser, std::string>> credentials(const std::string& name);
    // The new user's id, or nullopt when the name is taken (names are unique in any case).
    std::optional<std::int64_t> create(const std::string& name, const std::string& role,
                                       const std::string& password_hash, std::int64_t now_ms);
    void update(std::int64_t id, const StaffUserChange& change, std::int64_t now_ms);
    int active_owners();

    // Opens a session (and forgets the sessions that have expired).
    void open_session(const std::string& token_hash, std::int64_t user_id, const std::string& csrf_token,
                      std::int64_t now_ms, std::int64_t expires_at);
    std::optional<StaffSession> session(const std::string& token_hash, std::int64_t now_ms);
    void close_session(const std::string& token_hash);
    // Signs the user out everywhere: after a new password, a new role, or deactivation.
    void close_sessions_of(std::int64_t user_id);
    // Signs the user out everywhere else: after they changed their own password.
    void close_other_sessions(std::int64_t user_id, const std::string& kept_token_hash);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
