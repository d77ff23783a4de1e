#include "store/survey_store.h"

namespace pheu::store {

SurveyStore::SurveyStore(sql::Connection& db) : m_statements(db) {}

void SurveyStore::record_answer(std::int64_t customer_id, const std::string& survey, int answer,
                                std::int64_t answered_at) {
    auto insert = m_statements("INSERT INTO survey_answers (customer_id, survey, answer, answered_at) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, survey, answered_at) "
                               "DO UPDATE SET answer = excluded.answer");
    insert->bind(1, static_cast<int64_t>(customer_id));
    insert->bind(2, survey);
    insert->bind(3, answer);
    insert->bind(4, static_cast<int64_t>(answered_at));
    insert->run();
}

std::map<std::string, std::map<int, std::int64_t>> SurveyStore::counts(std::int64_t from_ms, std::int64_t to_ms) {
    auto query = m_statements("SELECT survey, answer, count(*) FROM survey_answers "
                              "WHERE answered_at >= ? AND answered_at < ? GROUP BY survey, answer");
    query->bind(1, static_cast<int64_t>(from_ms));
    query->bind(2, static_cast<int64_t>(to_ms));
    std::map<std::string, std::map<int, std::int64_t>> counts;
    while (query->step()) {
        counts[query->text(0)][query->int32(1)] = query->int64(2);
    }
    return counts;
}

} // namespace pheu::store
