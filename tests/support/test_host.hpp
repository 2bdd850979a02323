#pragma once
// Test support: a real `tessera` process on a real database, driven through its CLI and
// HTTP API, exactly as a user would.
//
// The database engine comes from the environment: TESSERA_TEST_DATABASE_URL unset means
// SQLite in a temporary directory; a postgres:// URL means PostgreSQL, where each
// TestHost gets a fresh database of its own (created and dropped here).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tessera::test {

// The password test users are given (the host hashes it like any other).
inline constexpr const char* kPassword = "correct horse battery staple";

using Json = nlohmann::json;

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;                            // de-chunked when sent chunked
    bool complete = true;                        // false: a chunked body ended before its last chunk

    // Parsed body; a discarded value (is_discarded()) when it is not JSON.
    Json json() const { return Json::parse(body, nullptr, false); }
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? "" : it->second;
    }
};

// A loopback connection to `port` with 30 s send and receive timeouts; -1 if refused.
int connectTo(int port);
// One response as read off the wire (status 0 and the bytes as body if it is not one).
HttpResult parseResponse(const std::string& raw);

// One HTTP/1.1 request per connection over loopback. Times out after 30 s.
HttpResult httpRequest(int port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {}, const std::string& body = "");
// Sends `raw` bytes verbatim (for malformed requests) and reads the reply.
HttpResult httpRaw(int port, const std::string& raw);
// Sends each of `raws` on one connection, each after the previous reply has arrived; a
// reply the server never sent has status 0.
std::vector<HttpResult> httpConversation(int port, const std::vector<std::string>& raws);

struct CliResult {
    int exit_code = 0;
    std::string out;  // stdout and stderr together
};

class TestHost {
public:
    // Prepares a data directory (and on PostgreSQL a fresh database). Nothing runs yet.
    // `plugin_dir` defaults to the build tree's plugins folder.
    explicit TestHost(std::string plugin_dir = "");
    ~TestHost();
    TestHost(const TestHost&) = delete;
    TestHost& operator=(const TestHost&) = delete;

    // Extra environment for the CLI and the server (e.g. TESSERA_REQUIRED_PLUGINS).
    void setEnv(const std::string& name, const std::string& value) { env_[name] = value; }
    // Cheap Argon2 for suites that sign in a lot: the cost is configuration, the
    // algorithm is the same.
    void useFastPasswordHashing() {
        setEnv("TESSERA_AUTH_ARGON2_MEMORY_KIB", "1024");
        setEnv("TESSERA_AUTH_ARGON2_TIME_COST", "1");
    }

    // Runs `tessera <args>` with this host's environment.
    CliResult cli(const std::vector<std::string>& args) const;
    // `tessera tenant create <slug> --admin-email owner@<slug>.example`; fails the test if
    // it does not exit 0. Keeps the Owner's one-time password and API token: request()
    // then authenticates as that Owner for this tenant by default.
    void createTenant(const std::string& slug);
    // The Owner created by createTenant() (empty for tenants made otherwise).
    std::string ownerToken(const std::string& slug) const;
    std::string ownerPassword(const std::string& slug) const;
    static std::string ownerEmail(const std::string& slug) { return "owner@" + slug + ".example"; }

    // Starts `tessera serve` on a free port and waits until it answers /healthz.
    // Returns false (and keeps the output in log()) if it exits or never answers.
    bool start();
    // SIGTERM, then waits for exit; returns the exit code.
    int stop();
    bool running() const { return pid_ > 0; }
    int port() const { return port_; }
    int pid() const { return pid_; }
    // What the server printed so far.
    std::string log() const;

    // Requests to the running server, for `tenant` (sent as X-Tenant unless empty).
    // Sends `Authorization: Bearer <owner token of tenant>` unless `headers` has an
    // Authorization or Cookie header of its own; an empty Authorization value means
    // "send none" (an anonymous request).
    HttpResult request(const std::string& method, const std::string& target, const std::string& tenant,
                       const Json& body = nullptr, std::map<std::string, std::string> headers = {}) const;
    HttpResult get(const std::string& target, const std::string& tenant) const { return request("GET", target, tenant); }
    HttpResult post(const std::string& target, const std::string& tenant, const Json& body) const {
        return request("POST", target, tenant, body);
    }

    // Runs `sql` on `tenant`'s own storage (its SQLite file or its PostgreSQL schema),
    // past the host, for tests that check what is actually stored. Rows of text values
    // (nullopt for NULL); statements that return nothing give no rows. Throws
    // std::runtime_error on a database error.
    using StoredRow = std::vector<std::optional<std::string>>;
    std::vector<StoredRow> tenantSql(const std::string& tenant, const std::string& sql) const;

    const std::string& dataDir() const { return data_dir_; }
    const std::string& databaseUrl() const { return database_url_; }
    bool onPostgres() const { return !pg_admin_url_.empty(); }

    // Absolute paths of the build tree (set by CMake for the test binaries).
    static std::string binary();
    static std::string buildPluginDir();
    static std::string sourceDir();

private:
    std::vector<std::string> environment() const;

    std::string plugin_dir_;
    std::string data_dir_;
    std::string database_url_;
    std::string pg_admin_url_;
    std::string pg_database_;
    std::string log_file_;
    std::map<std::string, std::string> env_;
    std::map<std::string, std::string> owner_tokens_;
    std::map<std::string, std::string> owner_passwords_;
    int pid_ = -1;
    int port_ = 0;
};

}  // namespace tessera::test
