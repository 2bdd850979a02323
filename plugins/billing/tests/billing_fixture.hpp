#pragma once
// One real host per test suite (tessera::test::HostSuite), plus helpers that build the usual
// billing objects through the HTTP API.

#include <ctime>
#include <string>

#include "host_suite.hpp"

namespace tessera::plugins::billing::test {

using tessera::test::HttpResult;
using tessera::test::Json;
using tessera::test::TestHost;

class BillingTest : public tessera::test::HostSuite {
public:
    // Today's date in UTC, "YYYY-MM-DD".
    static std::string today() {
        std::time_t t = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[16];
        std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
        return buf;
    }
    static Json createCustomer(const std::string& name) {
        return created("/api/v1/contacts", {{"name", name}});
    }
    static Json createTaxRate(const std::string& name, const std::string& percent, bool inclusive) {
        return created("/api/v1/billing/tax-rates", {{"name", name}, {"percent", percent}, {"inclusive", inclusive}});
    }
    // A draft invoice for `customer` with `lines`.
    static Json createDraft(const std::string& customer_id, const Json& lines, const std::string& currency = "BRL",
                            Json extra = Json::object()) {
        extra["customer_id"] = customer_id;
        extra["currency"] = currency;
        extra["lines"] = lines;
        return created("/api/v1/billing/invoices", extra);
    }
    static Json issue(const std::string& invoice_id) {
        auto r = call("POST", "/api/v1/billing/invoices/" + invoice_id + "/issue");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }
    // An open invoice of one free-text line at `amount` cents, untaxed.
    static Json openInvoice(const std::string& customer_id, long amount, Json extra = Json::object()) {
        auto draft = createDraft(customer_id, Json::array({{{"description", "Consulting"}, {"quantity", "1"},
                                                            {"unit_price", amount}}}),
                                 "BRL", std::move(extra));
        return issue(id(draft));
    }
    static Json invoice(const std::string& invoice_id) {
        return call("GET", "/api/v1/billing/invoices/" + invoice_id).json();
    }
};

}  // namespace tessera::plugins::billing::test
