#include "store/template_store.h"

#include "store/sql_helpers.h"

#include <string>

namespace pheu::store {

namespace {

constexpr const char* k_columns = "id, purpose, body, buttons, image_url, version, updated_at";

TemplateRow read_row(sql::Statement& row) {
    return TemplateRow{row.text(0),           row.text(1),  row.text(2), row.text(3),
                       text_or_empty(row, 4), row.int64(5), row.int64(6)};
}

} // namespace

namespace {

const std::string k_get_sql = std::string("SELECT ") + k_columns + " FROM templates WHERE id = ?";

} // namespace

TemplateStore::TemplateStore(sql::Connection& db) : m_statements(db) {}

std::vector<TemplateRow> TemplateStore::list() {
    auto query = m_statements(std::string("SELECT ") + k_columns + " FROM templates ORDER BY id");
    std::vector<TemplateRow> rows;
    while (query->step()) {
        rows.push_back(read_row(*query));
    }
    return rows;
}

std::optional<TemplateRow> TemplateStore::get(const std::string& id) {
    auto get_statement = m_statements(k_get_sql);
    get_statement->bind(1, id);
    std::optional<TemplateRow> row;
    if (get_statement->step()) {
        row = read_row(*get_statement);
    }
    return row;
}

bool TemplateStore::seed(const TemplateRow& row) {
    return create(row, row.updated_at);
}

bool TemplateStore::create(const TemplateRow& row, std::int64_t now_ms) {
    // A removed template's id may come back: it continues its version numbers.
    auto last = m_statements("SELECT coalesce(max(version), 0) FROM template_versions WHERE template_id = ?");
    last->bind(1, row.id);
    last->step();
    const std::int64_t version = last->int64(0) + 1;
    auto insert = m_statements("INSERT INTO templates (id, purpose, body, buttons, image_url, version, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
    insert->bind(1, row.id);
    insert->bind(2, row.purpose);
    insert->bind(3, row.body);
    insert->bind(4, row.buttons_json);
    bind_text_or_null(*insert, 5, row.image_url);
    insert->bind(6, static_cast<int64_t>(version));
    insert->bind(7, static_cast<int64_t>(now_ms));
    if (insert->run() != 1) {
        return false;
    }
    TemplateRow saved = row;
    saved.version = version;
    saved.updated_at = now_ms;
    keep_version(saved);
    return true;
}

bool TemplateStore::remove(const std::string& id) {
    auto remove = m_statements("DELETE FROM templates WHERE id = ?");
    remove->bind(1, id);
    return remove->run() == 1;
}

void TemplateStore::keep_version(const TemplateRow& row) {
    auto insert = m_statements("INSERT INTO template_versions (template_id, version, purpose, body, "
                               "buttons, image_url, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (template_id, version) DO UPDATE SET purpose = excluded.purpose, "
                               "body = excluded.body, buttons = excluded.buttons, image_url = excluded.image_url, "
                               "saved_at = excluded.saved_at");
    insert->bind(1, row.id);
    insert->bind(2, static_cast<int64_t>(row.version));
    insert->bind(3, row.purpose);
    insert->bind(4, row.body);
    insert->bind(5, row.buttons_json);
    bind_text_or_null(*insert, 6, row.image_url);
    insert->bind(7, static_cast<int64_t>(row.updated_at));
    insert->run();
}

std::vector<TemplateRow> TemplateStore::versions(const std::string& id) {
    auto query = m_statements("SELECT template_id, purpose, body, buttons, image_url, version, saved_at "
                              "FROM template_versions WHERE template_id = ? ORDER BY version DESC");
    query->bind(1, id);
    std::vector<TemplateRow> rows;
    while (query->step()) {
        rows.push_back(read_row(*query));
    }
    return rows;
}

std::optional<TemplateRow> TemplateStore::version(const std::string& id, std::int64_t version) {
    auto query = m_statements("SELECT template_id, purpose, body, buttons, image_url, version, saved_at "
                              "FROM template_versions WHERE template_id = ? AND version = ?");
    query->bind(1, id);
    query->bind(2, static_cast<int64_t>(version));
    if (!query->step()) {
        return std::nullopt;
    }
    return read_row(*query);
}

std::optional<TemplateRow> TemplateStore::update(const TemplateRow& row, std::int64_t now_ms) {
    auto update = m_statements(std::string("UPDATE templates SET purpose = ?, body = ?, buttons = ?, image_url = ?, "
                                           "version = version + 1, updated_at = ? WHERE id = ? RETURNING ") +
                               k_columns);
    update->bind(1, row.purpose);
    update->bind(2, row.body);
    update->bind(3, row.buttons_json);
    bind_text_or_null(*update, 4, row.image_url);
    update->bind(5, static_cast<int64_t>(now_ms));
    update->bind(6, row.id);
    if (!update->step()) {
        return std::nullopt;
    }
    TemplateRow saved = read_row(*update);
    update->reset();
    keep_version(saved);
    return saved;
}

} // namespace pheu::store
