#pragma once
// SQL over the OAuth authorisations started from the console (oauth_requests): opened when a
// person asks for the platform's permission page, taken (and so spent) when the platform
// sends the browser back with the same state.
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

struct OAuthRequest {
    std::string channel;    // "zalo"
    std::string account_id; // the OA
    std::string code_verifier;
    std::string actor; // who started it, for the audit log
};

class OAuthRequestStore {
public:
    explicit OAuthRequestStore(sql::Connection& db);

    // Opens a request (and forgets the expired ones).
    void open(const std::string& state_hash, const OAuthRequest& request, std::int64_t now_ms, std::int64_t expires_at);
    // The request with this state, removed so it cannot be used twice; nullopt when there is
    // none or it expired.
    std::optional<OAuthRequest> take(const std::string& state_hash, std::int64_t now_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
