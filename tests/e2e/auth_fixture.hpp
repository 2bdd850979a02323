#pragma once
// One real host per auth test suite (HostSuite), with tenants "acme" and "beta" and cheap
// password hashing, and helpers for users, tokens and sessions.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "host_suite.hpp"

namespace tessera::test {

class AuthTest : public HostSuite {
protected:
    static void SetUpTestSuite() {
        startHost({"acme", "beta"}, [](TestHost& host) {
            host.useFastPasswordHashing();
            // Quota tests delete and re-create records: measure usage on every write.
            host.setEnv("TESSERA_AUTH_USAGE_CACHE_MS", "0");
        });
    }

    static std::map<std::string, std::string> bearer(const std::string& token) {
        return {{"Authorization", "Bearer " + token}};
    }
    static std::map<std::string, std::string> anonymous() { return {{"Authorization", ""}}; }

    // A user made by the tenant's Owner through the users API.
    static Json makeUser(const std::string& tenant, const std::string& email, const std::string& role,
                         const std::string& password = kPassword) {
        auto r = host_->request("POST", "/api/v1/users", tenant,
                                {{"email", email}, {"name", email.substr(0, email.find('@'))}, {"role", role},
                                 {"password", password}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
    // Signs in and returns the response (session cookie, csrf token and/or bearer token).
    static HttpResult login(const std::string& tenant, const std::string& email, const std::string& password,
                            Json extra = Json::object(), std::map<std::string, std::string> headers = {}) {
        extra["email"] = email;
        extra["password"] = password;
        headers.emplace("Authorization", "");
        return host_->request("POST", "/api/v1/auth/login", tenant, extra, headers);
    }
    static std::string tokenFor(const std::string& tenant, const std::string& email, const std::string& password) {
        auto r = login(tenant, email, password, {{"token", true}, {"session", false}});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json().value("token", "");
    }
    // "tessera_session=..." from a login response's Set-Cookie.
    static std::string sessionCookie(const HttpResult& r) {
        const std::string set = r.header("set-cookie");
        return set.substr(0, set.find(';'));
    }
    // Audit entries of `tenant` with this action (newest first).
    static Json audit(const std::string& tenant, const std::string& action) {
        auto r = host_->request("GET", "/api/v1/audit?limit=200&action=" + action, tenant);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json()["data"];
    }
};

}  // namespace tessera::test
