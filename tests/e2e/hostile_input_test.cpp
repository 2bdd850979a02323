// Every route of every plugin, read from the live route table (`tessera routes --json`),
// gets the standard nasty inputs in each path parameter, in its query and in its body:
// SQL, path traversal, template and markup injections, invalid UTF-8, NUL, huge and
// deeply nested values, wrong types. Each answer must be below 500, a refusal the JSON error,
// the host must keep serving, and records that were there before must be unchanged.
// Routes added later are covered without a test of their own.

#include <set>
#include <string>
#include <vector>

#include "host_suite.hpp"

namespace tessera::test {
namespace {

class HostileInput : public HostSuite {
protected:
    static void SetUpTestSuite() {
        startHost({"acme"}, [](TestHost& host) {
            host.useFastPasswordHashing();
            host.setEnv("TESSERA_ACCESS_LOG", "false");
        });
    }
};

const std::vector<std::string>& nastyStrings() {
    static const std::vector<std::string> strings = {
        "' OR '1'='1' --",
        "\"; DROP TABLE contacts_contacts; --",
        "../../../../../etc/passwd",
        "..%2f..%2f..%2fetc%2fpasswd",
        std::string("\xff\xfe\xc0\xaf\xed\xa0\x80", 7),  // invalid UTF-8, an overlong '/', a surrogate
        std::string("a\0b", 3),
        std::string(100000, 'x'),
        "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/x}{{7*7}}%s%n",
        "-1",
        "99999999999999999999999999",
        "1e309",
        "\xe2\x80\xae\xf0\x9f\x98\x80",  // right-to-left override, an emoji
        "",
    };
    return strings;
}

std::vector<Json> nastyValues() {
    std::vector<Json> values;
    for (const auto& s : nastyStrings()) values.emplace_back(s);
    Json deep = Json::array();
    for (int i = 0; i < 200; ++i) deep = Json::array({deep});
    values.push_back(deep);
    values.push_back(Json::array({1, "two", nullptr, Json::object()}));
    values.push_back(Json::object({{"$gt", ""}, {"__proto__", {{"admin", true}}}}));
    values.push_back(nullptr);
    values.push_back(true);
    values.push_back(-9223372036854775807LL - 1);
    values.push_back(18446744073709551615ULL);
    values.push_back(1.5e308);
    return values;
}

// Raw bodies that are not JSON objects, or not JSON at all.
std::vector<std::string> nastyBodies() {
    return {"", "null", "[]", "\"text\"", "{\"a\":", std::string("{\"a\":\"\xff\"}"), std::string(100, '{'),
            std::string("{\"name\":\"a\\u0000b\"}"), "{\"name\":" + std::string(70, '[') + std::string(70, ']') + "}",
            "name,email\nAna,ana@example.com\n"};
}

const char* const kFieldNames[] = {"name", "email", "title", "amount", "currency", "status", "stage_id",
                                   "contact_id", "custom_fields", "line_items", "trigger", "source", "tags",
                                   "items", "password", "event", "permissions", "key", "label", "type"};

std::string fill(const std::string& path, const std::string& value) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '{') {
            out += value;
            i = path.find('}', i);
        } else {
            out += path[i];
        }
    }
    return out;
}

TEST_F(HostileInput, EveryRouteAnswersNastyInputWithoutA5xx) {
    auto routes_out = host_->cli({"routes", "--json"});
    ASSERT_EQ(routes_out.exit_code, 0) << routes_out.out;
    const Json routes = Json::parse(routes_out.out.substr(routes_out.out.find('[')));
    ASSERT_GT(routes.size(), 50u);

    // A record that must come through unchanged.
    auto created = call("POST", "/api/v1/contacts", {{"name", "Canary Silva"}, {"email", "canary@acme.example"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string canary_id = created.json()["id"];
    const std::string canary = call("GET", "/api/v1/contacts/" + canary_id).body;

    std::size_t requests = 0;
    std::set<std::string> failures;
    auto check = [&](const std::string& method, const std::string& target, const std::string& body,
                     const std::string& what) {
        ++requests;
        auto r = raw(method, target, body);
        // A refusal is the uniform JSON error; a success may be CSV (exports).
        const bool json_ok = r.status < 400 || r.json().contains("error");
        if (r.status == 0 || r.status >= 500 || !json_ok)
            failures.insert(method + " " + target.substr(0, 120) + " [" + what + "] -> " + std::to_string(r.status) + " " +
                            r.body.substr(0, 200));
    };

    for (const auto& route : routes) {
        const std::string method = route["method"], path = route["path"];
        // Signing out would end the session the suite runs with.
        if (path == "/api/v1/auth/logout") continue;
        const bool has_params = path.find('{') != std::string::npos;
        const bool has_body = method == "POST" || method == "PUT" || method == "PATCH";
        const std::string plain = fill(path, "zz_missing");
        if (has_params)
            for (const auto& s : nastyStrings())
                if (s.size() < 5000) check(method, fill(path, enc(s)), has_body ? "{}" : "", "path");
        for (const auto& s : nastyStrings())
            for (const char* param : {"limit", "cursor", "q", "sort", "status", "tag"})
                check(method, plain + "?" + param + "=" + enc(s), has_body ? "{}" : "", std::string("query ") + param);
        if (!has_body) continue;
        for (const auto& body : nastyBodies()) check(method, plain, body, "raw body");
        for (const auto& value : nastyValues()) {
            Json body = Json::object();
            for (const char* field : kFieldNames) body[field] = value;
            check(method, plain, body.dump(-1, ' ', false, Json::error_handler_t::replace), "every field");
        }
    }
    EXPECT_TRUE(failures.empty()) << failures.size() << " of " << requests << " requests failed, e.g.:\n"
                                  << [&] {
                                         std::string list;
                                         for (const auto& f : failures) list += f + "\n";
                                         return list.substr(0, 6000);
                                     }();
    EXPECT_GT(requests, 3000u);
    EXPECT_EQ(host_->get("/healthz", "").status, 200);
    EXPECT_EQ(call("GET", "/api/v1/contacts/" + canary_id).body, canary);
    EXPECT_EQ(call("GET", "/api/v1/contacts?limit=1").status, 200);
    EXPECT_EQ(call("GET", "/api/v1/deals?limit=1").status, 200);
    EXPECT_EQ(call("GET", "/api/v1/billing/invoices?limit=1").status, 200);
}

}  // namespace
}  // namespace tessera::test
