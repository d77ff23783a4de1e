#pragma once
// SQL over the shop's message templates: the built-in pack is seeded once, then the shop's
// edits replace the body and raise the version.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct TemplateRow {
    std::string id;
    std::string purpose;
    std::string body;
    std::string buttons_json = "[]"; // [{"title":…, "url":…} or {"title":…, "payload":…}]
    std::string image_url;
    std::int64_t version = 1;
    std::int64_t updated_at = 0;
};

class TemplateStore {
public:
    explicit TemplateStore(sql::Connection& db);

    std::vector<TemplateRow> list();
    std::optional<TemplateRow> get(const std::string& id);
    // Adds a template unless one with its id exists (the shop's edits are never overwritten).
    bool seed(const TemplateRow& row);
    // Replaces an existing template's content; returns the saved row, nullopt for an unknown id.
    // Every saved version is kept (versions(), version()).
    std::optional<TemplateRow> update(const TemplateRow& row, std::int64_t now_ms);
    // Adds a new template at version 1; false when the id is taken.
    bool create(const TemplateRow& row, std::int64_t now_ms);
    // Removes the template (its versions stay, for the record); false for an unknown id.
    bool remove(const std::string& id);
    // The saved versions, newest first (version and updated_at are the version's).
    std::vector<TemplateRow> versions(const std::string& id);
    std::optional<TemplateRow> version(const std::string& id, std::int64_t version);

private:
    void keep_version(const TemplateRow& row);

    StatementCache m_statements;
};

} // namespace pheu::store
