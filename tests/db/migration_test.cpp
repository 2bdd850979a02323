// Migrations against a real database: SQLite, or PostgreSQL when
// TESSERA_TEST_DATABASE_URL is set.
#include <gtest/gtest.h>

#include "db/connection_pool.hpp"
#include "db/migration_runner.hpp"
#include "test_host.hpp"

using namespace tessera;
using host::MigrationRunner;
using host::MigrationSet;

namespace {

struct Db {
    test::TestHost env;  // provides a fresh data dir or PostgreSQL database
    host::ConnectionPool pool{host::DatabaseUrl::parse(env.databaseUrl()), {8, 2, std::chrono::milliseconds(2000)}};
    Db() { pool.createTenantStorage("acme"); }
};

MigrationSet items(std::vector<sdk::Migration> steps) { return {"items", std::move(steps)}; }

const sdk::Migration kCreate{1, "create_items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
                             "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);"};
const sdk::Migration kIndex{2, "add_items_name_index", "CREATE INDEX items_name ON items(name);",
                            "CREATE INDEX items_name ON items(name);"};

}  // namespace

TEST(Migrations, AppliesInOrderOnceAndRecordsChecksums) {
    Db db;
    auto lease = db.pool.acquire("acme");
    MigrationRunner runner(lease.db());
    EXPECT_EQ(runner.apply({items({kIndex, kCreate})}), 2);
    EXPECT_EQ(runner.apply({items({kCreate, kIndex})}), 0);
    auto status = runner.status({items({kCreate, kIndex})});
    ASSERT_EQ(status.size(), 2u);
    EXPECT_TRUE(status[0].applied && status[1].applied);
    auto row = lease.db().queryOne("SELECT checksum FROM tessera_migrations WHERE owner = 'items' AND number = 1");
    ASSERT_TRUE(row);
    EXPECT_EQ((*row)["checksum"].asText().size(), 64u);
    lease.db().execute("INSERT INTO items (name) VALUES (?)", {"kept"});
    EXPECT_EQ(lease.db().query("SELECT name FROM items").size(), 1u);
}

TEST(Migrations, RefusesAnAppliedMigrationWhoseFileChanged) {
    Db db;
    auto lease = db.pool.acquire("acme");
    MigrationRunner runner(lease.db());
    runner.apply({items({kCreate})});
    sdk::Migration edited = kCreate;
    edited.sqlite_sql += " -- edited";
    edited.postgres_sql += " -- edited";
    try {
        runner.apply({items({edited})});
        FAIL() << "changed migration accepted";
    } catch (const host::MigrationError& e) {
        EXPECT_NE(std::string(e.what()).find("items/0001_create_items.sql was changed"), std::string::npos) << e.what();
    }
}

TEST(Migrations, AFailingStepLeavesNothingBehind) {
    Db db;
    auto lease = db.pool.acquire("acme");
    MigrationRunner runner(lease.db());
    const sdk::Migration broken{1, "create_broken", "CREATE TABLE half (id INTEGER); SELECT * FROM no_such_table;",
                                "CREATE TABLE half (id INTEGER); SELECT * FROM no_such_table;"};
    try {
        runner.apply({items({broken})});
        FAIL() << "broken migration accepted";
    } catch (const host::MigrationError& e) {
        EXPECT_NE(std::string(e.what()).find("0001_create_broken.sql failed"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(runner.upToDate({items({broken})}));
    // The table of the failed step was rolled back with it.
    EXPECT_THROW(lease.db().query("SELECT * FROM half"), std::runtime_error);
}

TEST(ConnectionPool, TenantsSeeOnlyTheirOwnData) {
    Db db;
    db.pool.createTenantStorage("beta");
    for (const char* slug : {"acme", "beta"}) {
        auto lease = db.pool.acquire(slug);
        MigrationRunner(lease.db()).apply({items({kCreate})});
    }
    db.pool.acquire("acme").db().execute("INSERT INTO items (name) VALUES (?)", {"acme secret"});
    auto rows = db.pool.acquire("beta").db().query("SELECT name FROM items");
    EXPECT_TRUE(rows.empty());
    EXPECT_EQ(db.pool.acquire("acme").db().query("SELECT name FROM items").size(), 1u);
}

TEST(ConnectionPool, StaysWithinItsBoundAcrossManyTenants) {
    Db db;
    for (int i = 0; i < 40; ++i) {
        const std::string slug = "t" + std::to_string(i);
        db.pool.createTenantStorage(slug);
        auto lease = db.pool.acquire(slug);
        MigrationRunner(lease.db()).apply({items({kCreate})});
        lease.db().execute("INSERT INTO items (name) VALUES (?)", {slug});
        EXPECT_LE(db.pool.openConnections(), 8u + 1u);
    }
    // Evicted tenants reopen with their data intact.
    auto rows = db.pool.acquire("t0").db().query("SELECT name FROM items");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["name"].asText(), "t0");
}

TEST(ConnectionPool, ReportsExhaustionInsteadOfHanging) {
    test::TestHost env;
    host::ConnectionPool pool(host::DatabaseUrl::parse(env.databaseUrl()), {2, 2, std::chrono::milliseconds(200)});
    pool.createTenantStorage("acme");
    pool.createTenantStorage("beta");
    auto first = pool.acquire("acme");
    auto second = pool.acquire("acme");
    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(pool.acquire("beta"), host::PoolExhausted);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST(ConnectionPool, RollsBackWhatALeaseLeftOpen) {
    Db db;
    {
        auto lease = db.pool.acquire("acme");
        MigrationRunner(lease.db()).apply({items({kCreate})});
        lease.db().begin();
        lease.db().execute("INSERT INTO items (name) VALUES (?)", {"uncommitted"});
    }
    EXPECT_TRUE(db.pool.acquire("acme").db().query("SELECT name FROM items").empty());
}

TEST(Database, TypesRoundTripAndUniqueViolationsAreTyped) {
    Db db;
    auto lease = db.pool.acquire("acme");
    auto& d = lease.db();
    d.executeScript(d.engine() == sdk::Engine::Sqlite
                        ? "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT UNIQUE, z TEXT)"
                        : "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, s TEXT UNIQUE, z TEXT)");
    d.execute("INSERT INTO t (n, r, s, z) VALUES (?, ?, ?, ?)", {int64_t{9007199254740993}, 2.5, "O'Brien; DROP TABLE t;--", nullptr});
    auto row = d.queryOne("SELECT n, r, s, z, (SELECT COUNT(*) FROM t) AS c FROM t");
    ASSERT_TRUE(row);
    EXPECT_EQ((*row)["n"].asInt(), 9007199254740993);
    EXPECT_DOUBLE_EQ((*row)["r"].asReal(), 2.5);
    EXPECT_EQ((*row)["s"].asText(), "O'Brien; DROP TABLE t;--");
    EXPECT_TRUE((*row)["z"].isNull());
    EXPECT_EQ((*row)["c"].asInt(), 1);
    EXPECT_THROW(d.execute("INSERT INTO t (s) VALUES (?)", {"O'Brien; DROP TABLE t;--"}), sdk::UniqueViolation);
    EXPECT_THROW(d.execute("INSERT INTO t (s) VALUES (?)", {}), std::invalid_argument);
}
