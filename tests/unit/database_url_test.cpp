#include <gtest/gtest.h>

#include "db/database_url.hpp"
#include "db/sql_database.hpp"

using tessera::host::DatabaseUrl;

TEST(DatabaseUrl, SqliteAndPostgres) {
    auto s = DatabaseUrl::parse("sqlite://./data");
    EXPECT_EQ(s.engine, tessera::sdk::Engine::Sqlite);
    EXPECT_EQ(s.sqlite_dir, "./data");
    auto p = DatabaseUrl::parse("postgres://u:pw@127.0.0.1:5432/crm");
    EXPECT_EQ(p.engine, tessera::sdk::Engine::Postgres);
    EXPECT_EQ(p.postgres_conninfo, "dbname='crm' host='127.0.0.1' password='pw' port='5432' user='u'");
    auto q = DatabaseUrl::parse("postgresql://app@db.internal/crm%20prod?sslmode=require&application_name=it's");
    EXPECT_EQ(q.postgres_conninfo,
              "application_name='it\\'s' dbname='crm prod' host='db.internal' sslmode='require' user='app'");
    EXPECT_THROW(DatabaseUrl::parse("postgres://h/db?novalue"), std::invalid_argument);
    EXPECT_THROW(DatabaseUrl::parse("mysql://x"), std::invalid_argument);
    EXPECT_THROW(DatabaseUrl::parse("sqlite://"), std::invalid_argument);
    EXPECT_EQ(DatabaseUrl::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
}

TEST(Placeholders, SkipsQuotedTextAndComments) {
    std::size_t n = 0;
    EXPECT_EQ(tessera::host::toSociPlaceholders("SELECT '?' , ? -- what?\n, \"a?\", ?", &n),
              "SELECT '?' , :p1 -- what?\n, \"a?\", :p2");
    EXPECT_EQ(n, 2u);
}
