#include "store/sql/postgres_connection.h"

#include "store/sql/placeholders.h"

#include <libpq-fe.h>

#include <charconv>
#include <map>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

namespace pheu::store::sql {

namespace {

// SQLSTATE classes and codes (PostgreSQL's appendix A).
Failure failure_of(const PGresult* result, const PGconn* connection) {
    if (PQstatus(connection) == CONNECTION_BAD) {
        return Failure::connection_lost;
    }
    const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state == nullptr) {
        return Failure::connection_lost; // no answer from the server at all
    }
    const std::string_view code(state);
    if (code == "23505") {
        return Failure::unique_violation;
    }
    if (code == "40001" || code == "40P01" || code == "55P03") {
        return Failure::retry; // serialization failure, deadlock, lock not available
    }
    if (code.substr(0, 2) == "08" || code == "57P01" || code == "57P02" || code == "57P03") {
        return Failure::connection_lost; // connection exception, the server shutting down
    }
    return Failure::other;
}

// What went wrong, without the values involved: the server's primary message only. Its
// DETAIL would repeat a refused row's key ("Key (channel, external_id)=(phone, 09…)"), and
// errors reach the log.
std::string message_of(const PGresult* result, const PGconn* connection) {
    const char* primary = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary != nullptr) {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        return std::string(primary) + (state != nullptr ? std::string(" (") + state + ")" : std::string());
    }
    // libpq's own message runs over several indented lines ("server closed the connection
    // unexpectedly\n\tThis probably means…"): one line for the log.
    std::string message;
    for (const char c : std::string_view(PQerrorMessage(connection))) {
        const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (!space) {
            message += c;
        } else if (!message.empty() && message.back() != ' ') {
            message += ' ';
        }
    }
    while (!message.empty() && message.back() == ' ') {
        message.pop_back();
    }
    return message;
}

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Throws unless `result` is one of the expected statuses.
void check(const Result& result, PGconn* connection, std::initializer_list<ExecStatusType> expected) {
    if (result) {
        const ExecStatusType status = PQresultStatus(result.get());
        for (const ExecStatusType ok : expected) {
            if (status == ok) {
                return;
            }
        }
    }
    throw Error(failure_of(result.get(), connection), "PostgreSQL: " + message_of(result.get(), connection));
}

class PostgresStatement final : public Statement {
public:
    // `prepared`: false when PostgreSQL could not tell a parameter's type from the text
    // alone ("WHEN ? IS NULL"); the statement is then prepared at its first run, with the
    // types of the values bound to it.
    PostgresStatement(PostgresConnection& owner, std::string name, NumberedSql sql, std::string source, bool prepared)
        : m_owner(owner), m_generation(owner.generation()), m_name(std::move(name)), m_text(std::move(sql.text)),
          m_source(std::move(source)), m_prepared(prepared), m_typed_by_values(!prepared),
          m_positions(std::move(sql.positions)), m_names(std::move(sql.names)),
          m_values(static_cast<std::size_t>(sql.count)), m_types(static_cast<std::size_t>(sql.count), 0) {}
    PostgresStatement(const PostgresStatement&) = delete;
    PostgresStatement& operator=(const PostgresStatement&) = delete;
    ~PostgresStatement() override {
        if (m_prepared) {
            m_owner.release(m_name, m_generation);
        }
    }

    void bind_null(int index) override { slot(index).reset(); }

    bool step() override {
        if (!m_result) {
            execute();
            m_row = 0;
        } else {
            ++m_row;
        }
        return m_row < PQntuples(m_result.get());
    }
    std::int64_t run() override {
        execute();
        const char* changed = PQcmdTuples(m_result.get());
        std::int64_t count = 0;
        std::from_chars(changed, changed + std::char_traits<char>::length(changed), count);
        return count;
    }

    bool is_null(int column) const override { return PQgetisnull(m_result.get(), m_row, column) == 1; }
    std::int64_t int64(int column) const override {
        const std::string_view value = field(column);
        if (value == "t" || value == "f") {
            return value == "t" ? 1 : 0; // a boolean
        }
        std::int64_t number = 0;
        std::from_chars(value.data(), value.data() + value.size(), number);
        return number;
    }
    double real(int column) const override {
        const std::string_view value = field(column);
        double number = 0;
        std::from_chars(value.data(), value.data() + value.size(), number);
        return number;
    }
    std::string text(int column) const override { return std::string(field(column)); }
    Kind kind(int column) const override {
        if (is_null(column)) {
            return Kind::null;
        }
        switch (PQftype(m_result.get(), column)) {
        case 16: // bool
        case 20: // int8
        case 21: // int2
        case 23: // int4
            return Kind::integer;
        case 700:  // float4
        case 701:  // float8
        case 1700: // numeric
            return Kind::real;
        default:
            return Kind::text;
        }
    }
    int column_count() const override { return PQnfields(m_result.get()); }
    std::string column_name(int column) const override { return PQfname(m_result.get(), column); }

    void reset() override {
        m_result.reset();
        m_row = 0;
        for (auto& value : m_values) {
            value.reset();
        }
    }

protected:
    int parameter_index(std::string_view name) const override {
        const auto found = m_names.find(name);
        if (found == m_names.end()) {
            throw Error(Failure::other, "PostgreSQL: no parameter " + std::string(name) + " in the statement");
        }
        return found->second;
    }
    void bind_int64(int index, std::int64_t value) override {
        slot(index) = std::to_string(value);
        type_of(index) = k_int8;
    }
    void bind_real(int index, double value) override {
        char buffer[32];
        const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
        slot(index) = std::string(buffer, written.ptr);
        type_of(index) = k_float8;
    }
    void bind_text(int index, std::string_view value) override { slot(index) = std::string(value); }

private:
    // Where SQLite's parameter `index` goes; an index the text does not use (SQLite allows
    // binding ?1 of "WHERE id = ?2") goes nowhere.
    std::optional<std::string>& slot(int index) {
        if (index < 1 || static_cast<std::size_t>(index) >= m_positions.size()) {
            throw Error(Failure::other, "PostgreSQL: parameter " + std::to_string(index) + " of a statement with " +
                                            std::to_string(m_positions.size() - 1));
        }
        const int number = m_positions[static_cast<std::size_t>(index)];
        if (number == 0) {
            m_unused.reset();
            return m_unused;
        }
        return m_values[static_cast<std::size_t>(number - 1)];
    }
    std::string_view field(int column) const {
        return {PQgetvalue(m_result.get(), m_row, column),
                static_cast<std::size_t>(PQgetlength(m_result.get(), m_row, column))};
    }
    // The type a value bound to SQLite's parameter `index` gives it, for a statement
    // prepared at its first run (text stays unknown: PostgreSQL reads it as the column).
    Oid& type_of(int index) {
        const int number = m_positions[static_cast<std::size_t>(index)];
        return number == 0 ? m_unused_type : m_types[static_cast<std::size_t>(number - 1)];
    }
    // Prepares the statement on the connection as it is now: at its first run when the
    // values bound tell its types, and again after the connection was opened anew.
    void prepare_now(PGconn* connection) {
        const Result result(PQprepare(connection, m_name.c_str(), m_text.c_str(), static_cast<int>(m_types.size()),
                                      m_typed_by_values ? m_types.data() : nullptr));
        try {
            check(result, connection, {PGRES_COMMAND_OK});
        } catch (const Error& error) {
            m_owner.note_failure(error.failure());
            throw Error(error.failure(), std::string(error.what()) + " in: " + m_source.substr(0, 300));
        }
        m_prepared = true;
        m_generation = m_owner.generation();
    }
    void execute() {
        PGconn* connection = m_owner.ready();
        if (!m_prepared || m_generation != m_owner.generation()) {
            prepare_now(connection);
        }
        std::vector<const char*> values;
        values.reserve(m_values.size());
        for (const auto& value : m_values) {
            values.push_back(value ? value->c_str() : nullptr);
        }
        m_result.reset(PQexecPrepared(connection, m_name.c_str(), static_cast<int>(values.size()), values.data(),
                                      nullptr, nullptr, 0));
        try {
            check(m_result, connection, {PGRES_TUPLES_OK, PGRES_COMMAND_OK});
        } catch (const Error& error) {
            m_owner.note_failure(error.failure());
            throw Error(error.failure(), std::string(error.what()) + " in: " + m_source.substr(0, 160));
        }
    }

    static constexpr Oid k_int8 = 20;
    static constexpr Oid k_float8 = 701;

    PostgresConnection& m_owner;
    std::uint64_t m_generation; // of the connection it was prepared on
    std::string m_name;
    std::string m_text;   // numbered, as PostgreSQL reads it
    std::string m_source; // as written, for errors
    bool m_prepared;
    bool m_typed_by_values; // prepared with the types of the values bound at its first run
    std::vector<int> m_positions;
    std::map<std::string, int, std::less<>> m_names;
    std::vector<std::optional<std::string>> m_values;
    std::optional<std::string> m_unused;
    std::vector<Oid> m_types;
    Oid m_unused_type = 0;
    Result m_result;
    int m_row = 0;
};

// Notices (an "IF NOT EXISTS" that found its table) are no one's business in pheu's log.
void ignore_notice(void* /*unused*/, const char* /*message*/) {}

} // namespace

PostgresConnection::PostgresConnection(const DatabaseTarget& target) : m_target(redacted(target)) {
    std::vector<const char*> keywords = {"dbname", "fallback_application_name", "client_encoding"};
    std::vector<const char*> values = {target.location.c_str(), "pheu", "UTF8"};
    // A password kept out of the configuration file and the URL: libpq also reads
    // PGPASSWORD and PGPASSFILE by itself.
    if (const char* password = std::getenv("PHEU_DATABASE_PASSWORD"); password != nullptr && *password != '\0') {
        keywords.push_back("password");
        values.push_back(password);
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    m_connection = PQconnectdbParams(keywords.data(), values.data(), 1);
    if (m_connection == nullptr || PQstatus(m_connection) != CONNECTION_OK) {
        const std::string why = m_connection == nullptr ? "out of memory" : message_of(nullptr, m_connection);
        PQfinish(m_connection);
        m_connection = nullptr;
        throw Error(Failure::connection_lost, "PostgreSQL at " + m_target + ": " + why);
    }
    PQsetNoticeProcessor(m_connection, ignore_notice, nullptr);
    configure_session();
}

void PostgresConnection::configure_session() {
    // An instance that hangs (a stopped process, a machine cut off) inside a transaction
    // would hold its row locks until TCP gives up, hours later, and the live instances skip
    // locked rows: the database ends such a session after a minute. No transaction of
    // pheu's waits that long between statements (the longest, a token refresh, waits for
    // one HTTP call).
    execute("SET idle_in_transaction_session_timeout = '60s'");
}

PostgresConnection::~PostgresConnection() {
    PQfinish(m_connection);
}

PGconn* PostgresConnection::ready() {
    if (m_transaction_lost) {
        throw Error(Failure::connection_lost,
                    "PostgreSQL at " + m_target + ": the connection was lost in the middle of a transaction");
    }
    if (m_lost || PQstatus(m_connection) != CONNECTION_OK) {
        PQreset(m_connection);
        if (PQstatus(m_connection) != CONNECTION_OK) {
            throw Error(Failure::connection_lost,
                        "PostgreSQL at " + m_target + ": " + message_of(nullptr, m_connection));
        }
        m_lost = false;
        ++m_generation;
        m_released.clear();  // gone with the session they were prepared in
        configure_session(); // a session of its own: what was SET is gone
    }
    m_in_transaction = PQtransactionStatus(m_connection) != PQTRANS_IDLE;
    if (!m_in_transaction && m_released.size() >= k_release_batch) {
        deallocate_released();
    }
    return m_connection;
}

void PostgresConnection::release(const std::string& name, std::uint64_t generation) noexcept {
    if (generation != m_generation) {
        return;
    }
    try {
        m_released.push_back(name);
    } catch (...) { // NOLINT(bugprone-empty-catch): out of memory, the session keeps it until it ends
    }
}

void PostgresConnection::deallocate_released() {
    std::string sql;
    for (const auto& name : m_released) {
        sql += "DEALLOCATE " + name + ";";
    }
    m_released.clear();
    // The names are pheu's own (pheu_<n>), prepared in this session and not yet deallocated.
    // A failure (the connection lost on the way) leaves nothing to undo: the next call finds
    // the connection lost, and a new session has none of them.
    const Result result(PQexec(m_connection, sql.c_str()));
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        note_failure(failure_of(result.get(), m_connection));
    }
}

void PostgresConnection::note_failure(Failure failure) {
    if (failure == Failure::connection_lost) {
        m_lost = true;
        m_transaction_lost = m_in_transaction;
    }
}

std::unique_ptr<Statement> PostgresConnection::prepare(const std::string& sql) {
    NumberedSql numbered = numbered_parameters(sql);
    std::string name = "pheu_" + std::to_string(++m_prepared);
    PGconn* connection = ready();
    // A statement that fails to prepare inside a transaction would abort it, and one left to
    // be typed at its first run fails first: a savepoint keeps the transaction going.
    const bool in_transaction = PQtransactionStatus(connection) == PQTRANS_INTRANS;
    if (in_transaction) {
        execute("SAVEPOINT pheu_prepare");
    }
    const Result result(PQprepare(connection, name.c_str(), numbered.text.c_str(), numbered.count, nullptr));
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (in_transaction) {
        execute(state == nullptr ? "RELEASE SAVEPOINT pheu_prepare" : "ROLLBACK TO SAVEPOINT pheu_prepare");
    }
    // 42P18 (indeterminate datatype), 42P08 (ambiguous parameter) and 42725 (an operator
    // between two parameters, `?2 + ?3`, is ambiguous): the values bound before the first
    // run will tell.
    const bool typed_later =
        state != nullptr && (std::string_view(state) == "42P18" || std::string_view(state) == "42P08" ||
                             std::string_view(state) == "42725");
    if (!typed_later) {
        try {
            check(result, connection, {PGRES_COMMAND_OK});
        } catch (const Error& error) {
            note_failure(error.failure());
            // The statement's text names what failed to prepare; its values are bound later
            // and never part of it.
            throw Error(error.failure(), std::string(error.what()) + " in: " + sql.substr(0, 300));
        }
    }
    return std::make_unique<PostgresStatement>(*this, std::move(name), std::move(numbered), sql, !typed_later);
}

void PostgresConnection::execute(const std::string& sql) {
    if (m_transaction_lost && sql == "ROLLBACK") {
        m_transaction_lost = false; // the server ended it with the connection
        return;
    }
    PGconn* connection = ready();
    const Result result(PQexec(connection, sql.c_str()));
    try {
        check(result, connection, {PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY});
    } catch (const Error& error) {
        note_failure(error.failure());
        throw;
    }
}

} // namespace pheu::store::sql
