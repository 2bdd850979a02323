#include "test_host.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

namespace tessera::test {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}


// Reads until the peer closes or a complete response (by Content-Length) has arrived.
std::string readResponse(int fd) {
    std::string raw;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<std::size_t>(n));
        const auto header_end = raw.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        static const std::regex cl("\r\n[Cc]ontent-[Ll]ength: *([0-9]+)");
        std::smatch m;
        const std::string head = raw.substr(0, header_end + 2);
        if (std::regex_search(head, m, cl) && raw.size() >= header_end + 4 + std::stoull(m[1])) break;
    }
    return raw;
}

std::string envOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

void pgExec(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("cannot connect to " + url + ": " + msg);
    }
    PGresult* res = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    std::string msg = PQresultErrorMessage(res);
    PQclear(res);
    PQfinish(conn);
    if (!ok) throw std::runtime_error(sql + ": " + msg);
}

std::atomic<int> counter{0};

}  // namespace

HttpResult parseResponse(const std::string& raw) {
    HttpResult r;
    const auto header_end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.", 0) != 0 || header_end == std::string::npos) {
        r.status = 0;
        r.body = raw;
        return r;
    }
    std::istringstream head(raw.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    r.status = std::atoi(line.substr(9, 3).c_str());
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers[lower(line.substr(0, colon))] = value;
    }
    r.body = raw.substr(header_end + 4);
    if (auto te = r.headers.find("transfer-encoding"); te != r.headers.end() && lower(te->second) == "chunked") {
        // De-chunk; a body without its last (empty) chunk was cut short by the server.
        std::string body;
        std::size_t pos = 0;
        r.complete = false;
        while (pos < r.body.size()) {
            const auto line_end = r.body.find("\r\n", pos);
            if (line_end == std::string::npos) break;
            const std::size_t size = std::strtoull(r.body.c_str() + pos, nullptr, 16);
            if (size == 0) {
                r.complete = r.body.compare(line_end, 4, "\r\n\r\n") == 0;
                break;
            }
            if (line_end + 2 + size + 2 > r.body.size()) break;
            body.append(r.body, line_end + 2, size);
            pos = line_end + 2 + size + 2;
        }
        r.body = std::move(body);
        return r;
    }
    if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
        const auto n = static_cast<std::size_t>(std::atoll(it->second.c_str()));
        if (r.body.size() > n) r.body.resize(n);
    }
    return r;
}

int connectTo(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    timeval tv{30, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

HttpResult httpRaw(int port, const std::string& raw) { return httpConversation(port, {raw}).front(); }

std::vector<HttpResult> httpConversation(int port, const std::vector<std::string>& raws) {
    std::vector<HttpResult> replies;
    const int fd = connectTo(port);
    for (const auto& raw : raws) {
        if (fd < 0) {
            replies.emplace_back();
            continue;
        }
        ::send(fd, raw.data(), raw.size(), MSG_NOSIGNAL);
        replies.push_back(parseResponse(readResponse(fd)));
    }
    if (fd >= 0) ::close(fd);
    return replies;
}

HttpResult httpRequest(int port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, const std::string& body) {
    std::string raw = method + " " + target + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [k, v] : headers) {
        raw += k + ": " + v + "\r\n";
        has_host = has_host || lower(k) == "host";
    }
    if (!has_host) raw += "Host: 127.0.0.1\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "Connection: close\r\n\r\n" + body;
    return httpRaw(port, raw);
}

std::string TestHost::binary() { return TESSERA_TEST_BINARY; }
std::string TestHost::buildPluginDir() { return TESSERA_TEST_PLUGIN_DIR; }
std::string TestHost::sourceDir() { return TESSERA_TEST_SOURCE_DIR; }

TestHost::TestHost(std::string plugin_dir) : plugin_dir_(plugin_dir.empty() ? buildPluginDir() : std::move(plugin_dir)) {
    std::string tmpl = (fs::temp_directory_path() / "tessera-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    data_dir_ = tmpl;
    log_file_ = data_dir_ + "/server.log";
    const std::string pg = envOr("TESSERA_TEST_DATABASE_URL", "");
    if (pg.rfind("postgres", 0) == 0) {
        pg_admin_url_ = pg;
        pg_database_ = "tessera_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
        pgExec(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_database_);
        pgExec(pg_admin_url_, "CREATE DATABASE " + pg_database_);
        const auto slash = pg.rfind('/');
        database_url_ = pg.substr(0, slash + 1) + pg_database_;
    } else {
        database_url_ = "sqlite://" + data_dir_;
    }
}

TestHost::~TestHost() {
    if (running()) stop();
    std::error_code ec;
    if (!envOr("TESSERA_TEST_KEEP", "").empty()) return;
    fs::remove_all(data_dir_, ec);
    if (!pg_database_.empty()) {
        try {
            pgExec(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
        } catch (const std::exception&) {
        }
    }
}

std::vector<std::string> TestHost::environment() const {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        const auto eq = kv.find('=');
        if (eq != std::string::npos && kv.rfind("TESSERA_", 0) != 0) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    env["TESSERA_DATA_DIR"] = data_dir_;
    env["TESSERA_DATABASE_URL"] = database_url_;
    env["TESSERA_PLUGIN_DIR"] = plugin_dir_;
    env["TESSERA_WORKERS"] = "4";
    for (const auto& [k, v] : env_) env[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

namespace {
pid_t spawn(const std::string& binary, const std::vector<std::string>& args, const std::vector<std::string>& env,
            int out_fd) {
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(out_fd, STDERR_FILENO);
    // The child must not inherit the test's blocked signals; the server waits for SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> argv{const_cast<char*>("tessera")};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(binary.c_str(), argv.data(), envp.data());
    std::perror("execve");
    ::_exit(127);
}
}  // namespace

CliResult TestHost::cli(const std::vector<std::string>& args) const {
    const std::string out_path = data_dir_ + "/cli-" + std::to_string(counter++) + ".out";
    const int fd = ::open(out_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    const pid_t pid = spawn(binary(), args, environment(), fd);
    ::close(fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream in(out_path);
    std::stringstream ss;
    ss << in.rdbuf();
    r.out = ss.str();
    return r;
}

void TestHost::createTenant(const std::string& slug) {
    const auto r = cli({"tenant", "create", slug, "--admin-email", ownerEmail(slug)});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    static const std::regex token("api token: (tsk_[A-Za-z0-9_-]+)");
    static const std::regex password("one-time password: ([A-Za-z0-9_-]+)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, token)) << r.out;
    owner_tokens_[slug] = m[1];
    ASSERT_TRUE(std::regex_search(r.out, m, password)) << r.out;
    owner_passwords_[slug] = m[1];
}

std::string TestHost::ownerToken(const std::string& slug) const {
    auto it = owner_tokens_.find(slug);
    return it == owner_tokens_.end() ? "" : it->second;
}

std::string TestHost::ownerPassword(const std::string& slug) const {
    auto it = owner_passwords_.find(slug);
    return it == owner_passwords_.end() ? "" : it->second;
}

std::string TestHost::log() const {
    std::ifstream in(log_file_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool TestHost::start() {
    auto env = environment();
    env.push_back("TESSERA_LISTEN=127.0.0.1:0");
    const int fd = ::open(log_file_.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
    pid_ = spawn(binary(), {"serve"}, env, fd);
    ::close(fd);
    static const std::regex listening(R"(tessera listening on http://[0-9.]+:([0-9]+))");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        std::smatch m;
        const std::string text = log();
        if (std::regex_search(text, m, listening)) {
            port_ = std::stoi(m[1]);
            if (httpRequest(port_, "GET", "/healthz").status == 200) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    return false;
}

int TestHost::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

HttpResult TestHost::request(const std::string& method, const std::string& target, const std::string& tenant,
                             const Json& body, std::map<std::string, std::string> headers) const {
    if (!tenant.empty()) headers.emplace("X-Tenant", tenant);
    bool has_credentials = false;
    for (auto it = headers.begin(); it != headers.end();) {
        const std::string name = lower(it->first);
        if (name == "authorization" || name == "cookie") {
            has_credentials = true;
            if (it->second.empty()) {
                it = headers.erase(it);
                continue;
            }
        }
        ++it;
    }
    if (!has_credentials) {
        if (auto token = ownerToken(tenant); !token.empty()) headers["Authorization"] = "Bearer " + token;
    }
    std::string payload;
    if (!body.is_null()) {
        payload = body.dump();
        headers.emplace("Content-Type", "application/json");
    }
    return httpRequest(port_, method, target, headers, payload);
}

std::vector<TestHost::StoredRow> TestHost::tenantSql(const std::string& tenant, const std::string& sql) const {
    std::vector<StoredRow> rows;
    if (onPostgres()) {
        std::string schema = "tenant_" + tenant;
        for (auto& c : schema)
            if (c == '-') c = '_';
        PGconn* conn = PQconnectdb(database_url_.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(conn);
            PQfinish(conn);
            throw std::runtime_error("cannot connect to " + database_url_ + ": " + msg);
        }
        PQclear(PQexec(conn, ("SET search_path TO \"" + schema + "\"").c_str()));
        PGresult* res = PQexec(conn, sql.c_str());
        const auto status = PQresultStatus(res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            std::string msg = PQresultErrorMessage(res);
            PQclear(res);
            PQfinish(conn);
            throw std::runtime_error(sql + ": " + msg);
        }
        for (int r = 0; r < PQntuples(res); ++r) {
            StoredRow row;
            for (int c = 0; c < PQnfields(res); ++c)
                row.push_back(PQgetisnull(res, r, c) ? std::nullopt : std::optional<std::string>(PQgetvalue(res, r, c)));
            rows.push_back(std::move(row));
        }
        PQclear(res);
        PQfinish(conn);
        return rows;
    }
    sqlite3* db = nullptr;
    const std::string file = data_dir_ + "/tenants/" + tenant + ".db";
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + file + ": " + msg);
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        std::string msg = sqlite3_errmsg(db);
        sqlite3_close(db);
        throw std::runtime_error(sql + ": " + msg);
    }
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        StoredRow row;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
            const auto* text = sqlite3_column_text(stmt, c);
            row.push_back(text ? std::optional<std::string>(reinterpret_cast<const char*>(text)) : std::nullopt);
        }
        rows.push_back(std::move(row));
    }
    std::string msg = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + msg);
    return rows;
}

}  // namespace tessera::test
