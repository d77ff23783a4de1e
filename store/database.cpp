#include "store/database.h"

#include "common/birthday.h"
#include "common/city.h"
#include "common/gender.h"
#include "common/text_fold.h"
#include "store/migrations.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>
#include <string>
#include <string_view>

namespace pheu::store {

namespace {
constexpr int k_busy_timeout_ms = 10000;
// Log pages past which a commit checkpoints on its own connection. SQLite's default, 1,000,
// put a 4 MB copy and a sync into an inbox commit about every tenth of a second under load;
// the server's WalCheckpointer keeps the log shorter than this from its own thread, so this
// is the backstop for when it cannot keep up, and for tools that run without one.
constexpr int k_backstop_checkpoint_pages = 8192;

std::string_view text_argument(sqlite3_value* argument) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argument));
    return {text, static_cast<std::size_t>(sqlite3_value_bytes(argument))};
}

// pheu_fold(text): the text folded for search ("Nguyễn Thị" → "nguyen thi"), as the chat
// matching folds it, so a name is found with or without its diacritics.
void fold_function(sqlite3_context* context, int, sqlite3_value** arguments) {
    if (sqlite3_value_type(arguments[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const std::string folded = common::fold_vietnamese(text_argument(arguments[0]));
    sqlite3_result_text(context, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

// pheu_city(text): the key a segment's city filter compares (common/city.h).
void city_function(sqlite3_context* context, int, sqlite3_value** arguments) {
    if (sqlite3_value_type(arguments[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const std::string key = common::city_key(text_argument(arguments[0]));
    sqlite3_result_text(context, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

// pheu_birth_month(text): 1-12 from a birthday as the profile holds it, or null.
void birth_month_function(sqlite3_context* context, int, sqlite3_value** arguments) {
    const auto birthday = sqlite3_value_type(arguments[0]) == SQLITE_NULL
                              ? std::nullopt
                              : common::parse_birthday(std::string(text_argument(arguments[0])));
    if (birthday) {
        sqlite3_result_int(context, static_cast<int>(birthday->month));
    } else {
        sqlite3_result_null(context);
    }
}

// pheu_gender(text): 'male', 'female' or null (common/gender.h).
void gender_function(sqlite3_context* context, int, sqlite3_value** arguments) {
    const auto gender = sqlite3_value_type(arguments[0]) == SQLITE_NULL
                            ? std::nullopt
                            : common::parse_gender(text_argument(arguments[0]));
    if (gender) {
        sqlite3_result_text(context, common::gender_id(*gender), -1, SQLITE_STATIC);
    } else {
        sqlite3_result_null(context);
    }
}

std::atomic<bool> g_counting{false};
std::atomic<bool> g_counting_by_text{false};
std::atomic<std::uint64_t> g_statements{0};
std::atomic<std::uint64_t> g_trigger_programs{0};
std::mutex g_by_text_mutex;
std::unordered_map<std::string, StatementProfile> g_by_text;

StatementProfile& profile_of(void* statement) {
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
    return g_by_text[sql == nullptr ? std::string() : std::string(sql)];
}

int count_statement(unsigned event, void*, void* statement, void* detail) {
    if (event == SQLITE_TRACE_PROFILE) { // only traced when counting by text
        const std::lock_guard lock(g_by_text_mutex);
        profile_of(statement).nanoseconds += static_cast<std::uint64_t>(*static_cast<sqlite3_int64*>(detail));
        return 0;
    }
    // A trigger's program is traced as a comment naming it: it runs inside the database,
    // within the statement that fired it, with no round trip of its own.
    if (std::string_view(static_cast<const char*>(detail)).starts_with("--")) {
        g_trigger_programs.fetch_add(1, std::memory_order_relaxed);
        return 0;
    }
    g_statements.fetch_add(1, std::memory_order_relaxed);
    if (!g_counting_by_text.load(std::memory_order_relaxed)) {
        return 0; // the lock and the map would weigh on the throughput being measured
    }
    const std::lock_guard lock(g_by_text_mutex);
    ++profile_of(statement).runs;
    return 0;
}

} // namespace

void count_statements_from_now(bool by_text) {
    g_statements = 0;
    g_trigger_programs = 0;
    g_counting_by_text = by_text;
    {
        const std::lock_guard lock(g_by_text_mutex);
        g_by_text.clear();
    }
    g_counting = true;
}

std::uint64_t statements_counted() {
    return g_statements.load(std::memory_order_relaxed);
}

std::uint64_t trigger_programs_counted() {
    return g_trigger_programs.load(std::memory_order_relaxed);
}

std::vector<std::pair<std::string, StatementProfile>> statements_by_text() {
    const std::lock_guard lock(g_by_text_mutex);
    std::vector<std::pair<std::string, StatementProfile>> counted(g_by_text.begin(), g_by_text.end());
    std::sort(counted.begin(), counted.end(),
              [](const auto& a, const auto& b) { return a.second.nanoseconds > b.second.nanoseconds; });
    return counted;
}

void register_functions(SQLite::Database& db) {
    sqlite3_create_function_v2(db.getHandle(), "pheu_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               fold_function, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db.getHandle(), "pheu_city", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               city_function, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db.getHandle(), "pheu_birth_month", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               birth_month_function, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db.getHandle(), "pheu_gender", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               gender_function, nullptr, nullptr, nullptr);
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path, Sync sync) {
    // SQLite's allocation statistics take a global mutex on every allocation; pheu never reads
    // them. Only possible before SQLite's first use, so a later call changes nothing.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    auto db =
        std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    db->setBusyTimeout(k_busy_timeout_ms);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(sync == Sync::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec("PRAGMA wal_autocheckpoint=" + std::to_string(k_backstop_checkpoint_pages));
    register_functions(*db);
    if (g_counting) {
        const unsigned events = SQLITE_TRACE_STMT | (g_counting_by_text ? SQLITE_TRACE_PROFILE : 0U);
        sqlite3_trace_v2(db->getHandle(), events, count_statement, nullptr);
    }
    return db;
}

void sync_log(SQLite::Database& db) {
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) != SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr) {
        // No log open on this connection (a file SQLite could not put in WAL mode): its
        // commits went to the database file itself, so that is the file to sync.
        file = nullptr;
        if (sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
            file == nullptr || file->pMethods == nullptr) {
            throw SQLite::Exception("the database has no open file to sync", SQLITE_MISUSE);
        }
    }
    if (const int synced = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL); synced != SQLITE_OK) {
        throw SQLite::Exception("the write-ahead log could not be synced to disk", synced);
    }
}

} // namespace pheu::store
