#include "db/database_url.hpp"

#include <map>
#include <regex>
#include <stdexcept>

#include "http/router.hpp"

namespace tessera::host {
namespace {

// libpq keyword values are single-quoted with backslash escapes.
std::string quoted(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

std::string decoded(const std::string& url, const std::string& part) {
    auto d = percentDecode(part, false);
    if (!d) throw std::invalid_argument("database URL '" + DatabaseUrl::redact(url) + "' has a malformed %-escape");
    return *d;
}

// postgres://[user[:password]@]host[:port][/dbname][?key=value&...] to libpq keyword
// form. SOCI 4.0 rewrites the connection string it is given as keywords, which breaks
// URIs, so it must receive keywords.
std::string toConninfo(const std::string& url, const std::string& rest) {
    static const std::regex re(R"(^(?:([^:@/?]*)(?::([^@/?]*))?@)?(\[[^\]]+\]|[^:/?]*)(?::([0-9]+))?(?:/([^?]*))?(?:\?(.*))?$)");
    std::smatch m;
    if (!std::regex_match(rest, m, re))
        throw std::invalid_argument("database URL '" + DatabaseUrl::redact(url) + "' is not postgres://user:password@host:port/database");
    std::map<std::string, std::string> kv;
    if (m[1].matched && m[1].length()) kv["user"] = decoded(url, m[1]);
    if (m[2].matched) kv["password"] = decoded(url, m[2]);
    if (m[3].length()) {
        std::string host = m[3];
        if (host.front() == '[') host = host.substr(1, host.size() - 2);
        kv["host"] = decoded(url, host);
    }
    if (m[4].matched) kv["port"] = m[4];
    if (m[5].matched && m[5].length()) kv["dbname"] = decoded(url, m[5]);
    std::string query = m[6];
    for (std::size_t start = 0; start < query.size();) {
        std::size_t amp = query.find('&', start);
        if (amp == std::string::npos) amp = query.size();
        const std::string pair = query.substr(start, amp - start);
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::invalid_argument("database URL option '" + pair + "' must be key=value");
        kv[decoded(url, pair.substr(0, eq))] = decoded(url, pair.substr(eq + 1));
        start = amp + 1;
    }
    std::string out;
    for (const auto& [k, v] : kv) out += (out.empty() ? "" : " ") + k + "=" + quoted(v);
    return out;
}

}  // namespace

DatabaseUrl DatabaseUrl::parse(const std::string& url) {
    DatabaseUrl out;
    if (url.rfind("sqlite://", 0) == 0) {
        out.engine = sdk::Engine::Sqlite;
        out.sqlite_dir = url.substr(9);
        if (out.sqlite_dir.empty()) throw std::invalid_argument("database URL '" + url + "' names no directory");
        return out;
    }
    for (const char* scheme : {"postgres://", "postgresql://"}) {
        const std::string s(scheme);
        if (url.rfind(s, 0) == 0) {
            out.engine = sdk::Engine::Postgres;
            if (url.size() == s.size()) throw std::invalid_argument("database URL '" + url + "' names no server");
            out.postgres_conninfo = toConninfo(url, url.substr(s.size()));
            return out;
        }
    }
    throw std::invalid_argument("database URL '" + redact(url) +
                                "' must start with sqlite:// or postgres://");
}

std::string DatabaseUrl::redact(const std::string& url) {
    static const std::regex password(R"(^([a-z]+://[^:/@]+:)[^@]*@)");
    return std::regex_replace(url, password, "$1***@");
}

}  // namespace tessera::host
