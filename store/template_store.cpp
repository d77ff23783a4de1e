#include "store/template_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

constexpr const char* k_columns = "id, purpose, body, buttons, image_url, version, updated_at";

TemplateRow read_row(SQLite::Statement& row) {
    return TemplateRow{row.getColumn(0).getString(), row.getColumn(1).getString(),  row.getColumn(2).getString(),
                       row.getColumn(3).getString(), text_or_empty(row.getColumn(4)), row.getColumn(5).getInt64(),
                       row.getColumn(6).getInt64()};
}

} // namespace

TemplateStore::TemplateStore(SQLite::Database& db)
    : m_db(db), m_get(db, std::string("SELECT ") + k_columns + " FROM templates WHERE id = ?") {}

std::vector<TemplateRow> TemplateStore::list() {
    SQLite::Statement query(m_db, std::string("SELECT ") + k_columns + " FROM templates ORDER BY id");
    std::vector<TemplateRow> rows;
    while (query.executeStep()) {
        rows.push_back(read_row(query));
    }
    return rows;
}

std::optional<TemplateRow> TemplateStore::get(const std::string& id) {
    m_get.tryReset();
    m_get.bind(1, id);
    std::optional<TemplateRow> row;
    if (m_get.executeStep()) {
        row = read_row(m_get);
    }
    m_get.tryReset();
    return row;
}

bool TemplateStore::seed(const TemplateRow& row) {
    SQLite::Statement insert(m_db, "INSERT INTO templates (id, purpose, body, buttons, image_url, version, updated_at) "
                                   "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING");
    insert.bind(1, row.id);
    insert.bind(2, row.purpose);
    insert.bind(3, row.body);
    insert.bind(4, row.buttons_json);
    bind_text_or_null(insert, 5, row.image_url);
    insert.bind(6, static_cast<int64_t>(row.updated_at));
    return insert.exec() == 1;
}

std::optional<TemplateRow> TemplateStore::update(const TemplateRow& row, std::int64_t now_ms) {
    SQLite::Statement update(m_db, std::string("UPDATE templates SET purpose = ?, body = ?, buttons = ?, image_url = ?, "
                                               "version = version + 1, updated_at = ? WHERE id = ? RETURNING ") +
                                       k_columns);
    update.bind(1, row.purpose);
    update.bind(2, row.body);
    update.bind(3, row.buttons_json);
    bind_text_or_null(update, 4, row.image_url);
    update.bind(5, static_cast<int64_t>(now_ms));
    update.bind(6, row.id);
    if (!update.executeStep()) {
        return std::nullopt;
    }
    return read_row(update);
}

} // namespace pheu::store
