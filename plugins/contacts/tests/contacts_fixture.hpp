#pragma once
// One real host per test suite, with tenant "acme" (and "globex" for isolation tests).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_host.hpp"

namespace tessera::plugins::contacts::test {

using tessera::test::HttpResult;
using tessera::test::Json;
using tessera::test::TestHost;

class ContactsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        host_ = std::make_unique<TestHost>();
        host_->createTenant("acme");
        host_->createTenant("globex");
        ASSERT_TRUE(host_->start()) << host_->log();
    }
    static void TearDownTestSuite() {
        if (host_) host_->stop();
        host_.reset();
    }

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
        return tessera::test::httpRequest(host_->port(), method, target, headers, body);
    }
    // Creates a contact and returns it, failing the test unless the answer is 201.
    static Json createContact(const Json& body) {
        auto r = call("POST", "/api/v1/contacts", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
    static Json createCompany(const Json& body) {
        auto r = call("POST", "/api/v1/companies", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
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
    static std::string filter(const std::string& field, const std::string& op, const std::string& value) {
        return enc("filter[" + field + "]" + (op.empty() ? "" : "[" + op + "]")) + "=" + enc(value);
    }

    static inline std::unique_ptr<TestHost> host_;
};

}  // namespace tessera::plugins::contacts::test
