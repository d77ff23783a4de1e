#include "store/user_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

constexpr const char* k_user_columns = "u.id, u.name, u.role, u.active, u.created_at, u.updated_at";

StaffUser user_from(sql::Statement& row) {
    return StaffUser{.id = row.int64(0),
                     .name = row.text(1),
                     .role = row.text(2),
                     .active = row.int32(3) != 0,
                     .created_at = row.int64(4),
                     .updated_at = row.int64(5)};
}

} // namespace

UserStore::UserStore(sql::Connection& db) : m_statements(db) {}

std::vector<StaffUser> UserStore::list() {
    auto query = m_statements(std::string("SELECT ") + k_user_columns + " FROM users u ORDER BY u.name");
    std::vector<StaffUser> users;
    while (query->step()) {
        users.push_back(user_from(*query));
    }
    return users;
}

std::optional<StaffUser> UserStore::get(std::int64_t id) {
    auto query = m_statements(std::string("SELECT ") + k_user_columns + " FROM users u WHERE u.id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->step()) {
        return std::nullopt;
    }
    return user_from(*query);
}

std::optional<std::pair<StaffUser, std::string>> UserStore::credentials(const std::string& name) {
    auto query = m_statements(std::string("SELECT ") + k_user_columns +
                              ", u.password_hash FROM users u WHERE lower(u.name) = lower(?)");
    query->bind(1, name);
    if (!query->step()) {
        return std::nullopt;
    }
    return std::make_pair(user_from(*query), query->text(6));
}

std::optional<std::int64_t> UserStore::create(const std::string& name, const std::string& role,
                                              const std::string& password_hash, std::int64_t now_ms) {
    auto insert = m_statements("INSERT INTO users (name, role, password_hash, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id");
    insert->bind(1, name);
    insert->bind(2, role);
    insert->bind(3, password_hash);
    insert->bind(4, static_cast<int64_t>(now_ms));
    insert->bind(5, static_cast<int64_t>(now_ms));
    if (!insert->step()) {
        return std::nullopt;
    }
    return insert->int64(0);
}

void UserStore::update(std::int64_t id, const StaffUserChange& change, std::int64_t now_ms) {
    auto update = m_statements("UPDATE users SET role = coalesce(?, role), password_hash = coalesce(?, password_hash), "
                               "active = coalesce(?, active), updated_at = ? WHERE id = ?");
    bind_optional_text(*update, 1, change.role);
    bind_optional_text(*update, 2, change.password_hash);
    bind_optional_int(*update, 3, change.active ? std::optional<std::int64_t>(*change.active ? 1 : 0) : std::nullopt);
    update->bind(4, static_cast<int64_t>(now_ms));
    update->bind(5, static_cast<int64_t>(id));
    update->run();
}

int UserStore::active_owners() {
    auto query = m_statements("SELECT count(*) FROM users WHERE role = 'owner' AND active = 1");
    query->step();
    return query->int32(0);
}

void UserStore::open_session(const std::string& token_hash, std::int64_t user_id, const std::string& csrf_token,
                             std::int64_t now_ms, std::int64_t expires_at) {
    auto forget = m_statements("DELETE FROM user_sessions WHERE expires_at <= ?");
    forget->bind(1, static_cast<int64_t>(now_ms));
    forget->run();
    auto insert = m_statements("INSERT INTO user_sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
                               "VALUES (?, ?, ?, ?, ?)");
    insert->bind(1, token_hash);
    insert->bind(2, static_cast<int64_t>(user_id));
    insert->bind(3, csrf_token);
    insert->bind(4, static_cast<int64_t>(now_ms));
    insert->bind(5, static_cast<int64_t>(expires_at));
    insert->run();
}

std::optional<StaffSession> UserStore::session(const std::string& token_hash, std::int64_t now_ms) {
    auto query = m_statements(std::string("SELECT ") + k_user_columns +
                              ", s.csrf_token, s.expires_at FROM user_sessions s JOIN users u ON u.id = s.user_id "
                              "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1");
    query->bind(1, token_hash);
    query->bind(2, static_cast<int64_t>(now_ms));
    if (!query->step()) {
        return std::nullopt;
    }
    return StaffSession{.user = user_from(*query), .csrf_token = query->text(6), .expires_at = query->int64(7)};
}

void UserStore::close_session(const std::string& token_hash) {
    auto remove = m_statements("DELETE FROM user_sessions WHERE token_hash = ?");
    remove->bind(1, token_hash);
    remove->run();
}

void UserStore::close_sessions_of(std::int64_t user_id) {
    auto remove = m_statements("DELETE FROM user_sessions WHERE user_id = ?");
    remove->bind(1, static_cast<int64_t>(user_id));
    remove->run();
}

void UserStore::close_other_sessions(std::int64_t user_id, const std::string& kept_token_hash) {
    auto remove = m_statements("DELETE FROM user_sessions WHERE user_id = ? AND token_hash != ?");
    remove->bind(1, static_cast<int64_t>(user_id));
    remove->bind(2, kept_token_hash);
    remove->run();
}

} // namespace pheu::store
