#pragma once
// One real host per test suite (tessera::test::HostSuite: tenants "acme" and "globex"),
// plus helpers that create pipelines, deals and contacts through the HTTP API.

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "host_suite.hpp"

namespace tessera::plugins::deals::test {

using tessera::test::Json;

class DealsTest : public tessera::test::HostSuite {
public:
    // A pipeline from (name, probability) pairs; returns it with its stages.
    static Json createPipeline(const std::string& name, const std::vector<std::pair<std::string, int>>& stages) {
        Json list = Json::array();
        for (const auto& [n, p] : stages) list.push_back({{"name", n}, {"probability", p}});
        return expect(201, "POST", "/api/v1/pipelines", {{"name", name}, {"stages", list}});
    }
    static std::string stageId(const Json& pipeline, std::size_t index) {
        return pipeline["stages"][index]["id"].get<std::string>();
    }
    static Json createDeal(const Json& body) { return created("/api/v1/deals", body); }

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
};

}  // namespace tessera::plugins::deals::test
