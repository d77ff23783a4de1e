#pragma once
// Shoppers' answers to the surveys pheu's messages ask (the winback's "1, 2 or 3").
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <map>
#include <string>

namespace pheu::store {

class SurveyStore {
public:
    explicit SurveyStore(sql::Connection& db);

    void record_answer(std::int64_t customer_id, const std::string& survey, int answer, std::int64_t answered_at);
    // survey → answer → how many, for answers given in [from, to).
    std::map<std::string, std::map<int, std::int64_t>> counts(std::int64_t from_ms, std::int64_t to_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
