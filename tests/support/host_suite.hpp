#pragma once
// A gtest fixture base for suites that drive one real host: the host starts once per
// suite (SetUpTestSuite) with the tenants "acme" and "globex" (for isolation tests, unless
// the suite starts it with startHost), and
// the helpers speak HTTP to it as tenant "acme" with its Owner's token. Plugin test
// fixtures derive from it and add their domain helpers (plugins/<id>/tests/*_fixture.hpp).

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "test_host.hpp"

namespace tessera::test {

class HostSuite : public ::testing::Test {
public:
    // Public so that free helper functions of a test file can use them too.
    static void SetUpTestSuite() { startHost({"acme", "globex"}); }
    // Starts the suite's host with these tenants, after `configure` (if any) has set its
    // environment. Suites that need other tenants or settings call it from their own
    // SetUpTestSuite.
    static void startHost(std::initializer_list<std::string> tenants,
                          const std::function<void(TestHost&)>& configure = {}) {
        host_ = std::make_unique<TestHost>();
        if (configure) configure(*host_);
        for (const auto& tenant : tenants) host_->createTenant(tenant);
        ASSERT_TRUE(host_->start()) << host_->log();
    }
    static void TearDownTestSuite() {
        if (host_) host_->stop();
        host_.reset();
    }

    // A request for tenant "acme" as its Owner (unless `headers` says otherwise).
    static HttpResult call(const std::string& method, const std::string& target, const Json& body = nullptr,
                           std::map<std::string, std::string> headers = {}) {
        return host_->request(method, target, "acme", body, std::move(headers));
    }
    // A request whose body is sent verbatim (malformed JSON, CSV, invalid UTF-8).
    static HttpResult raw(const std::string& method, const std::string& target, const std::string& body,
                          const std::string& content_type = "application/json",
                          std::map<std::string, std::string> headers = {}) {
        headers["X-Tenant"] = "acme";
        headers["Content-Type"] = content_type;
        headers.emplace("Authorization", "Bearer " + host_->ownerToken("acme"));
        return httpRequest(host_->port(), method, target, headers, body);
    }
    // Runs a request that must answer `status`; returns its JSON body.
    static Json expect(int status, const std::string& method, const std::string& target, const Json& body = nullptr,
                       std::map<std::string, std::string> headers = {}) {
        auto r = call(method, target, body, std::move(headers));
        EXPECT_EQ(r.status, status) << method << " " << target << " -> " << r.body;
        return r.json();
    }
    // POSTs `body` to `target`, failing the test unless the answer is 201; returns the item.
    static Json created(const std::string& target, const Json& body) { return expect(201, "POST", target, body); }
    static std::string id(const Json& item) { return item.value("id", std::string()); }

    // Percent-encodes a query component (brackets, spaces, UTF-8 bytes...).
    static std::string enc(const std::string& s) {
        static const char* hex = "0123456789ABCDEF";
        std::string out;
        for (unsigned char c : s) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
                out += static_cast<char>(c);
            } else {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        return out;
    }
    // "filter[field][op]=value", encoded; an empty `op` gives filter[field]=value.
    static std::string filter(const std::string& field, const std::string& op, const std::string& value) {
        return enc("filter[" + field + "]" + (op.empty() ? "" : "[" + op + "]")) + "=" + enc(value);
    }

    // Waits until `check()` is true, polling every 100 ms (for effects that land shortly
    // after the response: caches, background delivery, schedules).
    template <class F>
    static bool eventually(F check, std::chrono::milliseconds within = std::chrono::seconds(10)) {
        const auto deadline = std::chrono::steady_clock::now() + within;
        while (std::chrono::steady_clock::now() < deadline) {
            if (check()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return check();
    }

    static inline std::unique_ptr<TestHost> host_;
};

}  // namespace tessera::test
