#pragma once
// Applies numbered migrations to one database (a tenant's, or the control database for
// the host's own schema) and records each with its checksum in tessera_migrations.
// An applied migration whose text changed since is refused with the file named.

#include <functional>
#include <string>
#include <vector>

#include <tessera/sdk/registrar.hpp>

#include "db/sql_database.hpp"

namespace tessera::host {

struct MigrationSet {
    std::string owner;  // plugin id, or "host"
    std::vector<sdk::Migration> steps;
};

struct MigrationStatus {
    std::string owner;
    int number = 0;
    std::string name;
    bool applied = false;
    std::string applied_at;
};

class MigrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "0001_create_contacts.sql" (the file a step came from, for messages).
std::string migrationFileName(const sdk::Migration& m);

class MigrationRunner {
public:
    explicit MigrationRunner(SqlDatabase& db) : db_(db) {}

    // Applies every pending step of `sets`, in the given order of sets and by number
    // within a set, each in its own transaction. Returns how many were applied.
    // `onStep` (optional) is told of each step as it is applied.
    int apply(const std::vector<MigrationSet>& sets,
              const std::function<void(const std::string& owner, const sdk::Migration&)>& onStep = {});
    // Checks recorded checksums against `sets` without applying anything.
    void verify(const std::vector<MigrationSet>& sets);
    std::vector<MigrationStatus> status(const std::vector<MigrationSet>& sets);
    bool upToDate(const std::vector<MigrationSet>& sets);

private:
    void ensureTable();
    const std::string& sqlFor(const sdk::Migration& m) const;
    SqlDatabase& db_;
};

}  // namespace tessera::host
