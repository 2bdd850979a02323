#pragma once
// Parses TESSERA_DATABASE_URL: "sqlite://<dir>" (one file per tenant under <dir>) or
// "postgres[ql]://user:pass@host:port/db" (one schema per tenant in that database).

#include <string>

#include <tessera/sdk/database.hpp>

namespace tessera::host {

struct DatabaseUrl {
    sdk::Engine engine = sdk::Engine::Sqlite;
    std::string sqlite_dir;         // for SQLite
    std::string postgres_conninfo;  // for PostgreSQL: libpq keyword form (host='...' ...)

    // Throws std::invalid_argument naming what is wrong with `url`.
    static DatabaseUrl parse(const std::string& url);
    // The URL with any password replaced by "***", for logs.
    static std::string redact(const std::string& url);
};

}  // namespace tessera::host
