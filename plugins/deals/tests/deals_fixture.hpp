#pragma once
// One real host per test suite with tenant "acme" (and "globex" for isolation tests),
// plus helpers that create pipelines, deals and contacts through the HTTP API.

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "test_host.hpp"

namespace tessera::plugins::deals::test {

using tessera::test::HttpResult;
using tessera::test::Json;
using tessera::test::TestHost;

class DealsTest : public ::testing::Test {
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
    // Runs a request that must answer `status`; returns its JSON body.
    static Json expect(int status, const std::string& method, const std::string& target, const Json& body = nullptr,
                       std::map<std::string, std::string> headers = {}) {
        auto r = call(method, target, body, std::move(headers));
        EXPECT_EQ(r.status, status) << method << " " << target << " -> " << r.body;
        return r.json();
    }
    // A pipeline from (name, probability) pairs; returns it with its stages.
    static Json createPipeline(const std::string& name, const std::vector<std::pair<std::string, int>>& stages) {
        Json list = Json::array();
        for (const auto& [n, p] : stages) list.push_back({{"name", n}, {"probability", p}});
        return expect(201, "POST", "/api/v1/pipelines", {{"name", name}, {"stages", list}});
    }
    static std::string stageId(const Json& pipeline, std::size_t index) {
        return pipeline["stages"][index]["id"].get<std::string>();
    }
    static Json createDeal(const Json& body) { return expect(201, "POST", "/api/v1/deals", body); }
    static std::string id(const Json& item) { return item["id"].get<std::string>(); }

    // Percent-encodes a query component (brackets...).
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

    // "YYYY-MM" of the current UTC month, shifted by `offset` months.
    static std::string month(int offset = 0) {
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        int y = tm.tm_year + 1900, m = tm.tm_mon + 1 + offset;
        while (m > 12) m -= 12, ++y;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        return buf;
    }

    static inline std::unique_ptr<TestHost> host_;
};

}  // namespace tessera::plugins::deals::test
