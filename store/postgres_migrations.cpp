#include "store/postgres_migrations.h"

#include "store/migrations.h"
#include "store/sql/connection.h"

#include <charconv>
#include <map>
#include <stdexcept>
#include <string>

namespace pheu::store {

namespace {

// The advisory lock every pheu instance takes to migrate: "pheu" and 1, as a bigint.
constexpr std::int64_t k_migration_lock = 0x7068'6575'0000'0001;

// The migrations by the version each brings the database to.
std::map<int, std::string_view> numbered_migrations() {
    std::map<int, std::string_view> migrations;
    for (const auto& file : postgres_migration_files()) {
        int version = 0;
        const auto parsed = std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
        if (parsed.ec != std::errc() || version <= 0 || *parsed.ptr != '_') {
            throw std::logic_error("store/postgres/" + std::string(file.name) + ": not named NNN_name.sql");
        }
        if (!migrations.emplace(version, file.text).second) {
            throw std::logic_error("store/postgres/: two files for version " + std::to_string(version));
        }
    }
    return migrations;
}

} // namespace

int apply_postgres_migrations(sql::Connection& db) {
    const auto migrations = numbered_migrations();
    if (migrations.empty() || migrations.rbegin()->first != latest_schema_version()) {
        throw std::logic_error("store/postgres/ does not reach schema version " +
                               std::to_string(latest_schema_version()));
    }
    sql::Transaction transaction(db);
    db.execute("SELECT pg_advisory_xact_lock(" + std::to_string(k_migration_lock) + ")");
    db.execute("CREATE TABLE IF NOT EXISTS pheu_schema (version BIGINT NOT NULL)");
    int version = 0;
    {
        auto read = db.prepare("SELECT version FROM pheu_schema");
        if (read->step()) {
            version = static_cast<int>(read->int64(0));
        }
    }
    const int found = version;
    for (const auto& [target, text] : migrations) {
        if (target > version) {
            db.execute(std::string(text));
            version = target;
        }
    }
    if (version != found) {
        db.execute("DELETE FROM pheu_schema");
        auto write = db.prepare("INSERT INTO pheu_schema (version) VALUES (?)");
        write->bind(1, version);
        write->run();
    }
    transaction.commit();
    return version;
}

} // namespace pheu::store
