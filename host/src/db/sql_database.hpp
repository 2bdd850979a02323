#pragma once
// The host's implementation of sdk::Database over one SOCI session. Only db/*.cpp
// include SOCI; everything else sees sdk::Database or SqlDatabase.

#include <memory>
#include <string>
#include <string_view>

#include <tessera/sdk/database.hpp>

namespace soci {
class session;
}

namespace tessera::host {

class SqlDatabase : public sdk::Database {
public:
    // `tenant`: the slug whose data this connection reaches; empty for the control database.
    SqlDatabase(soci::session& session, sdk::Engine engine, std::string tenant = {});
    ~SqlDatabase() override;
    SqlDatabase(const SqlDatabase&) = delete;
    SqlDatabase& operator=(const SqlDatabase&) = delete;

    sdk::Engine engine() const override { return engine_; }
    // Host code that holds only an sdk::Database (the workflow engine's jobs) learns
    // which tenant it is serving from here, e.g. to bind sealed secrets to it.
    const std::string& tenant() const { return tenant_; }
    std::int64_t execute(std::string_view sql, const sdk::Params& params = {}) override;
    sdk::Rows query(std::string_view sql, const sdk::Params& params = {}) override;
    void stream(std::string_view sql, const sdk::Params& params,
                const std::function<bool(const sdk::Row&)>& onRow) override;
    bool inTransaction() const override { return in_transaction_; }
    void begin() override;
    void commit() override;
    void rollback() override;

    // Runs a script of several statements (a migration) with the engine's own
    // multi-statement API, so triggers and dollar quotes need no splitting here.
    void executeScript(const std::string& sql);

    // SQLite group commit (GroupCommit): one transaction around several requests, each in
    // a savepoint of its own. While a group is open, begin()/commit()/rollback() work on
    // a nested savepoint, so a plugin's transaction stays a unit that can fail alone.
    void beginGroup();
    void commitGroup();
    void rollbackGroup();
    // True when the engine ended the group's transaction itself (an I/O error, a full
    // disk): what the group held is gone.
    bool groupLost() const;
    // One request's part of the group: kept (release) or undone (undo).
    void savepoint();
    void releaseSavepoint();
    void undoSavepoint();

private:
    struct SqliteStatements;

    soci::session& session_;
    sdk::Engine engine_;
    std::string tenant_;
    bool in_transaction_ = false;
    bool in_group_ = false;
    // SQLite statements run on the session's own handle: SOCI's SQLite rows are typed by
    // declared column type and read INTEGER as 32 bits, which truncates 64-bit values.
    // Prepared statements are kept per connection, keyed by SQL text.
    std::unique_ptr<SqliteStatements> sqlite_;
};

// The tenant slug of a database the host handed out (always a SqlDatabase); throws
// std::logic_error for any other implementation.
const std::string& tenantOf(const sdk::Database& db);

// `?` placeholders to SOCI's `:pN`, skipping quoted text and comments. Exposed for tests.
std::string toSociPlaceholders(std::string_view sql, std::size_t* count = nullptr);

}  // namespace tessera::host
