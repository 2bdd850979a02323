#include "db/sql_database.hpp"

#include <ctime>
#include <deque>
#include <list>
#include <unordered_map>
#include <stdexcept>

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace tessera::host {

std::string toSociPlaceholders(std::string_view sql, std::size_t* count) {
    std::string out;
    out.reserve(sql.size() + 16);
    std::size_t n = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const std::size_t end = sql.find(c, i + 1);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const std::size_t end = sql.find('\n', i);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            out += ":p" + std::to_string(++n);
        } else {
            out += c;
        }
    }
    if (count) *count = n;
    return out;
}

namespace {

// Holds bound values at stable addresses for the statement's lifetime.
struct Binding {
    long long integer = 0;
    double real = 0;
    std::string text;
    soci::indicator ind = soci::i_ok;
};

bool isUniqueViolation(const soci::soci_error& e, sdk::Engine engine) {
    const std::string msg = e.what();
    if (engine == sdk::Engine::Sqlite) return msg.find("UNIQUE constraint failed") != std::string::npos;
    if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) return pg->sqlstate() == "23505";
    return msg.find("duplicate key value") != std::string::npos;
}

std::string formatTm(const std::tm& t) {
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &t);
    return buf;
}

sdk::Value columnValue(const soci::row& row, std::size_t i) {
    if (row.get_indicator(i) == soci::i_null) return {};
    switch (row.get_properties(i).get_data_type()) {
        case soci::dt_string:
        case soci::dt_xml:
        case soci::dt_blob: return sdk::Value(row.get<std::string>(i));
        case soci::dt_double: return sdk::Value(row.get<double>(i));
        case soci::dt_integer: return sdk::Value(static_cast<long long>(row.get<int>(i)));
        case soci::dt_long_long: return sdk::Value(row.get<long long>(i));
        case soci::dt_unsigned_long_long:
            return sdk::Value(static_cast<long long>(row.get<unsigned long long>(i)));
        case soci::dt_date: return sdk::Value(formatTm(row.get<std::tm>(i)));
    }
    return {};
}

class Statement {
public:
    Statement(soci::session& session, std::string_view sql, const sdk::Params& params)
        : st_(session) {
        std::size_t placeholders = 0;
        const std::string converted = toSociPlaceholders(sql, &placeholders);
        if (placeholders != params.size())
            throw std::invalid_argument("SQL has " + std::to_string(placeholders) + " placeholders but " +
                                        std::to_string(params.size()) + " parameters were given");
        for (const auto& p : params) {
            auto& b = bindings_.emplace_back();
            if (p.isNull()) {
                b.ind = soci::i_null;
                st_.exchange(soci::use(b.text, b.ind));
            } else if (p.isInt()) {
                b.integer = p.asInt();
                st_.exchange(soci::use(b.integer, b.ind));
            } else if (p.isReal()) {
                b.real = p.asReal();
                st_.exchange(soci::use(b.real, b.ind));
            } else {
                b.text = p.asText();
                st_.exchange(soci::use(b.text, b.ind));
            }
        }
        sql_ = converted;
    }

    std::int64_t execute() {
        st_.alloc();
        st_.prepare(sql_);
        st_.define_and_bind();
        st_.execute(true);
        return st_.get_affected_rows();
    }

    void stream(const std::function<bool(const sdk::Row&)>& onRow) {
        soci::row row;
        st_.exchange(soci::into(row));
        st_.alloc();
        st_.prepare(sql_);
        st_.define_and_bind();
        bool more = st_.execute(true);
        std::shared_ptr<std::vector<std::string>> columns;
        while (more) {
            if (!columns) {
                columns = std::make_shared<std::vector<std::string>>();
                for (std::size_t i = 0; i < row.size(); ++i) columns->push_back(row.get_properties(i).get_name());
            }
            std::vector<sdk::Value> values;
            values.reserve(row.size());
            for (std::size_t i = 0; i < row.size(); ++i) values.push_back(columnValue(row, i));
            if (!onRow(sdk::Row(columns, std::move(values)))) break;
            more = st_.fetch();
        }
    }

private:
    soci::statement st_;
    std::deque<Binding> bindings_;
    std::string sql_;
};

template <class F>
auto translateErrors(sdk::Engine engine, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const soci::soci_error& e) {
        if (isUniqueViolation(e, engine)) throw sdk::UniqueViolation(e.what());
        throw std::runtime_error(std::string("database error: ") + e.what());
    }
}

}  // namespace

namespace {
// SQLITE_TRANSIENT names a type SOCI hides inside its sqlite_api namespace.
const auto kSqliteTransient = reinterpret_cast<sqlite_api::sqlite3_destructor_type>(-1);
}  // namespace

struct SqlDatabase::SqliteStatements {
    static constexpr std::size_t kCapacity = 64;
    struct Prepared {
        sqlite_api::sqlite3_stmt* st = nullptr;
        // Shared by every row the statement returns, built once per statement.
        std::shared_ptr<const std::vector<std::string>> columns;
    };
    sqlite_api::sqlite3* db = nullptr;
    std::list<std::pair<std::string, Prepared>> lru;  // front: most recent
    // Looked up by the caller's string_view: no copy of the SQL text for a cached statement.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, decltype(lru)::iterator, TextHash, std::equal_to<>> index;

    ~SqliteStatements() {
        for (auto& [sql, p] : lru) sqlite_api::sqlite3_finalize(p.st);
    }

    [[noreturn]] void fail(const std::string& what) const {
        const int code = sqlite_api::sqlite3_extended_errcode(db);
        const std::string msg = what + ": " + sqlite_api::sqlite3_errmsg(db);
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) throw sdk::UniqueViolation(msg);
        throw std::runtime_error("database error: " + msg);
    }

    const Prepared& prepare(std::string_view sql) {
        if (auto it = index.find(sql); it != index.end()) {
            lru.splice(lru.begin(), lru, it->second);
            return it->second->second;
        }
        std::string key(sql);
        Prepared p;
        if (sqlite_api::sqlite3_prepare_v2(db, key.c_str(), static_cast<int>(key.size()), &p.st, nullptr) != SQLITE_OK)
            fail("cannot prepare statement");
        auto columns = std::make_shared<std::vector<std::string>>();
        for (int i = 0, n = sqlite_api::sqlite3_column_count(p.st); i < n; ++i)
            columns->emplace_back(sqlite_api::sqlite3_column_name(p.st, i));
        p.columns = std::move(columns);
        lru.emplace_front(key, std::move(p));
        index[key] = lru.begin();
        if (lru.size() > kCapacity) {
            sqlite_api::sqlite3_finalize(lru.back().second.st);
            index.erase(lru.back().first);
            lru.pop_back();
        }
        return lru.front().second;
    }

    // Prepares (or reuses) and binds; the caller steps it and must reset it.
    const Prepared& bind(std::string_view sql, const sdk::Params& params) {
        const Prepared& p = prepare(sql);
        auto* st = p.st;
        sqlite_api::sqlite3_reset(st);
        sqlite_api::sqlite3_clear_bindings(st);
        const int expected = sqlite_api::sqlite3_bind_parameter_count(st);
        if (expected != static_cast<int>(params.size()))
            throw std::invalid_argument("SQL has " + std::to_string(expected) + " placeholders but " +
                                        std::to_string(params.size()) + " parameters were given");
        for (int i = 0; i < expected; ++i) {
            const auto& v = params[static_cast<std::size_t>(i)];
            int rc;
            if (v.isNull()) rc = sqlite_api::sqlite3_bind_null(st, i + 1);
            else if (v.isInt()) rc = sqlite_api::sqlite3_bind_int64(st, i + 1, v.asInt());
            else if (v.isReal()) rc = sqlite_api::sqlite3_bind_double(st, i + 1, v.asReal());
            else {
                const auto& text = std::get<std::string>(v.raw());
                rc = sqlite_api::sqlite3_bind_text(st, i + 1, text.data(), static_cast<int>(text.size()), kSqliteTransient);
            }
            if (rc != SQLITE_OK) fail("cannot bind parameter " + std::to_string(i + 1));
        }
        return p;
    }

    std::int64_t execute(std::string_view sql, const sdk::Params& params) {
        auto* st = bind(sql, params).st;
        int rc;
        while ((rc = sqlite_api::sqlite3_step(st)) == SQLITE_ROW) {
        }
        sqlite_api::sqlite3_reset(st);
        if (rc != SQLITE_DONE) fail("statement failed");
        return sqlite_api::sqlite3_changes(db);
    }

    // Steps the statement and hands each row to `onRow` (moving it is allowed); stops
    // when it returns false.
    template <class OnRow>
    void each(std::string_view sql, const sdk::Params& params, OnRow&& onRow) {
        const Prepared& p = bind(sql, params);
        auto* st = p.st;
        const auto columns = p.columns;  // the cache may drop the statement's entry meanwhile
        struct Reset {
            sqlite_api::sqlite3_stmt* st;
            ~Reset() { sqlite_api::sqlite3_reset(st); }
        } reset{st};
        const int n = static_cast<int>(columns->size());
        int rc;
        while ((rc = sqlite_api::sqlite3_step(st)) == SQLITE_ROW) {
            std::vector<sdk::Value> values;
            values.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                switch (sqlite_api::sqlite3_column_type(st, i)) {
                    case SQLITE_INTEGER: values.emplace_back(static_cast<long long>(sqlite_api::sqlite3_column_int64(st, i))); break;
                    case SQLITE_FLOAT: values.emplace_back(sqlite_api::sqlite3_column_double(st, i)); break;
                    case SQLITE_NULL: values.emplace_back(); break;
                    default: {
                        const auto* text = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, i));
                        values.emplace_back(std::string(text, static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(st, i))));
                    }
                }
            }
            sdk::Row row(columns, std::move(values));
            if (!onRow(row)) return;
        }
        if (rc != SQLITE_DONE) fail("query failed");
    }
};

SqlDatabase::SqlDatabase(soci::session& session, sdk::Engine engine, std::string tenant)
    : session_(session), engine_(engine), tenant_(std::move(tenant)) {
    if (engine_ == sdk::Engine::Sqlite) {
        sqlite_ = std::make_unique<SqliteStatements>();
        sqlite_->db = static_cast<soci::sqlite3_session_backend*>(session_.get_backend())->conn_;
    }
}

SqlDatabase::~SqlDatabase() = default;

std::int64_t SqlDatabase::execute(std::string_view sql, const sdk::Params& params) {
    if (sqlite_) return sqlite_->execute(sql, params);
    return translateErrors(engine_, [&] { return Statement(session_, sql, params).execute(); });
}

sdk::Rows SqlDatabase::query(std::string_view sql, const sdk::Params& params) {
    sdk::Rows rows;
    if (sqlite_) {
        sqlite_->each(sql, params, [&](sdk::Row& r) {
            rows.push_back(std::move(r));
            return true;
        });
        return rows;
    }
    stream(sql, params, [&](const sdk::Row& r) {
        rows.push_back(r);
        return true;
    });
    return rows;
}

void SqlDatabase::stream(std::string_view sql, const sdk::Params& params,
                         const std::function<bool(const sdk::Row&)>& onRow) {
    if (sqlite_) return sqlite_->each(sql, params, [&](const sdk::Row& r) { return onRow(r); });
    translateErrors(engine_, [&] { Statement(session_, sql, params).stream(onRow); });
}

void SqlDatabase::begin() {
    if (in_group_) executeScript("SAVEPOINT tx");
    // SQLite: take the write lock up front. A deferred transaction that reads and then
    // writes fails with SQLITE_BUSY under contention instead of waiting its turn.
    else if (sqlite_) executeScript("BEGIN IMMEDIATE");
    else translateErrors(engine_, [&] { session_.begin(); });
    in_transaction_ = true;
}

void SqlDatabase::commit() {
    in_transaction_ = false;
    if (in_group_) executeScript("RELEASE tx");
    else if (sqlite_) executeScript("COMMIT");
    else translateErrors(engine_, [&] { session_.commit(); });
}

void SqlDatabase::rollback() {
    in_transaction_ = false;
    if (in_group_) {
        if (!groupLost()) executeScript("ROLLBACK TO tx; RELEASE tx");
    } else if (sqlite_) executeScript("ROLLBACK");
    else translateErrors(engine_, [&] { session_.rollback(); });
}

void SqlDatabase::beginGroup() {
    if (!sqlite_) throw std::logic_error("group commit is for SQLite");
    executeScript("BEGIN IMMEDIATE");
    in_group_ = true;
}

void SqlDatabase::commitGroup() {
    in_group_ = false;
    executeScript("COMMIT");
}

void SqlDatabase::rollbackGroup() {
    in_group_ = false;
    in_transaction_ = false;
    if (!sqlite_api::sqlite3_get_autocommit(sqlite_->db)) executeScript("ROLLBACK");
}

bool SqlDatabase::groupLost() const { return in_group_ && sqlite_api::sqlite3_get_autocommit(sqlite_->db) != 0; }

void SqlDatabase::savepoint() { executeScript("SAVEPOINT request"); }

void SqlDatabase::releaseSavepoint() { executeScript("RELEASE request"); }

void SqlDatabase::undoSavepoint() {
    in_transaction_ = false;  // a transaction the request left open ends with it
    executeScript("ROLLBACK TO request; RELEASE request");
}

void SqlDatabase::executeScript(const std::string& sql) {
    if (engine_ == sdk::Engine::Sqlite) {
        auto* backend = static_cast<soci::sqlite3_session_backend*>(session_.get_backend());
        char* err = nullptr;
        if (sqlite_api::sqlite3_exec(backend->conn_, sql.c_str(), nullptr, nullptr, &err) != 0) {
            std::string msg = err ? err : "unknown error";
            sqlite_api::sqlite3_free(err);
            throw std::runtime_error(msg);
        }
        return;
    }
    auto* backend = static_cast<soci::postgresql_session_backend*>(session_.get_backend());
    PGresult* res = PQexec(backend->conn_, sql.c_str());
    const auto status = PQresultStatus(res);
    std::string msg = PQresultErrorMessage(res);
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error(msg);
}

const std::string& tenantOf(const sdk::Database& db) {
    const auto* sql = dynamic_cast<const SqlDatabase*>(&db);
    if (sql == nullptr) throw std::logic_error("tenantOf: not a database the host opened");
    return sql->tenant();
}

}  // namespace tessera::host
