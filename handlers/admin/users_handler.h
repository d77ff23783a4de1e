#pragma once
// The console's people, for the shop's owner: GET /api/v1/users, POST /api/v1/users
// {"name","password","role"}, PUT /api/v1/users/{id} {"role"?,"password"?,"active"?}. A new
// password, a new role or deactivation signs the person out everywhere. The last active
// owner cannot be demoted or deactivated. Passwords are hashed with Argon2id before the write
// transaction (common/password_hash.h); audited, the password never.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>

namespace pheu::store {
class AdminWriter;
class ReadPool;
} // namespace pheu::store

namespace pheu::handlers {

class UsersHandler {
public:
    UsersHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply list(const HttpRequestView& request) const;
    // 201 the user; 400 a bad field; 409 "already_exists" for a name taken (in any case).
    HttpReply create(const HttpRequestView& request) const;
    // 200 the user; 404 no such user; 409 "last_owner".
    HttpReply update(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
