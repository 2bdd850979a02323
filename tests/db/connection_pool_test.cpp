// Transactions through the SDK helper on a real database.
#include <gtest/gtest.h>

#include "db/connection_pool.hpp"
#include "test_host.hpp"

using namespace tessera;

TEST(Transactions, CommitOnReturnRollbackOnThrow) {
    test::TestHost env;
    host::ConnectionPool pool(host::DatabaseUrl::parse(env.databaseUrl()), {4, 2, std::chrono::milliseconds(1000)});
    pool.createTenantStorage("acme");
    auto lease = pool.acquire("acme");
    auto& db = lease.db();
    db.executeScript("CREATE TABLE notes (body TEXT)");
    db.transaction([&] { db.execute("INSERT INTO notes (body) VALUES (?)", {"kept"}); });
    EXPECT_THROW(db.transaction([&] {
        db.execute("INSERT INTO notes (body) VALUES (?)", {"dropped"});
        throw std::runtime_error("abort");
    }),
                 std::runtime_error);
    auto rows = db.query("SELECT body FROM notes");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["body"].asText(), "kept");
    EXPECT_FALSE(db.inTransaction());
}
