#include "db/migration_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "core/clock.hpp"
#include "core/digest.hpp"

namespace tessera::host {

std::string migrationFileName(const sdk::Migration& m) {
    char num[16];
    std::snprintf(num, sizeof num, "%04d", m.number);
    return std::string(num) + "_" + m.name + ".sql";
}

namespace {

struct Applied {
    std::string name, checksum, applied_at;
};
}  // namespace

const std::string& MigrationRunner::sqlFor(const sdk::Migration& m) const {
    return db_.engine() == sdk::Engine::Sqlite ? m.sqlite_sql : m.postgres_sql;
}

void MigrationRunner::ensureTable() {
    db_.executeScript(
        "CREATE TABLE IF NOT EXISTS tessera_migrations ("
        " owner TEXT NOT NULL, number INTEGER NOT NULL, name TEXT NOT NULL,"
        " checksum TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (owner, number))");
}

namespace {
std::map<std::pair<std::string, int>, Applied> readApplied(SqlDatabase& db) {
    std::map<std::pair<std::string, int>, Applied> out;
    for (const auto& r : db.query("SELECT owner, number, name, checksum, applied_at FROM tessera_migrations"))
        out[{r["owner"].asText(), static_cast<int>(r["number"].asInt())}] =
            Applied{r["name"].asText(), r["checksum"].asText(), r["applied_at"].asText()};
    return out;
}
}  // namespace

void MigrationRunner::verify(const std::vector<MigrationSet>& sets) {
    ensureTable();
    const auto applied = readApplied(db_);
    for (const auto& set : sets) {
        for (const auto& step : set.steps) {
            auto it = applied.find({set.owner, step.number});
            if (it == applied.end()) continue;
            if (it->second.checksum != sha256Hex(sqlFor(step)))
                throw MigrationError("migration " + set.owner + "/" + migrationFileName(step) +
                                     " was changed after it was applied; add a new migration instead");
        }
        for (const auto& [key, rec] : applied) {
            if (key.first != set.owner) continue;
            const int number = key.second;  // clang 14 cannot capture a structured binding
            const bool known = std::any_of(set.steps.begin(), set.steps.end(),
                                           [&](const sdk::Migration& m) { return m.number == number; });
            if (!known)
                throw MigrationError("migration " + set.owner + "/" +
                                     migrationFileName({key.second, rec.name, "", ""}) +
                                     " was applied but is missing from this build");
        }
    }
}

int MigrationRunner::apply(const std::vector<MigrationSet>& sets,
                           const std::function<void(const std::string&, const sdk::Migration&)>& onStep) {
    verify(sets);
    int count = 0;
    const bool sqlite = db_.engine() == sdk::Engine::Sqlite;
    for (const auto& set : sets) {
        auto steps = set.steps;
        std::sort(steps.begin(), steps.end(), [](auto& a, auto& b) { return a.number < b.number; });
        for (const auto& step : steps) {
            // Lock first, then look: another process may be migrating the same tenant.
            db_.executeScript(sqlite ? "BEGIN IMMEDIATE" : "BEGIN; SELECT pg_advisory_xact_lock(7305, hashtext(current_schema()))");
            try {
                const bool done = db_.queryOne("SELECT 1 FROM tessera_migrations WHERE owner = ? AND number = ?",
                                               {set.owner, step.number}).has_value();
                if (!done) {
                    if (onStep) onStep(set.owner, step);
                    try {
                        db_.executeScript(sqlFor(step));
                    } catch (const std::exception& e) {
                        throw MigrationError("migration " + set.owner + "/" + migrationFileName(step) +
                                             " failed: " + e.what());
                    }
                    db_.execute("INSERT INTO tessera_migrations (owner, number, name, checksum, applied_at) VALUES (?, ?, ?, ?, ?)",
                                {set.owner, step.number, step.name, sha256Hex(sqlFor(step)), isoNow()});
                    ++count;
                }
                db_.executeScript("COMMIT");
            } catch (...) {
                try {
                    db_.executeScript("ROLLBACK");
                } catch (...) {
                }
                throw;
            }
        }
    }
    return count;
}

std::vector<MigrationStatus> MigrationRunner::status(const std::vector<MigrationSet>& sets) {
    ensureTable();
    const auto applied = readApplied(db_);
    std::vector<MigrationStatus> out;
    for (const auto& set : sets) {
        for (const auto& step : set.steps) {
            MigrationStatus s{set.owner, step.number, step.name, false, ""};
            if (auto it = applied.find({set.owner, step.number}); it != applied.end()) {
                s.applied = true;
                s.applied_at = it->second.applied_at;
            }
            out.push_back(std::move(s));
        }
    }
    return out;
}

bool MigrationRunner::upToDate(const std::vector<MigrationSet>& sets) {
    for (const auto& s : status(sets))
        if (!s.applied) return false;
    return true;
}

}  // namespace tessera::host
