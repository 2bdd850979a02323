#pragma once
// One real host per test suite with tenant "acme", plus helpers that build the usual
// billing objects through the HTTP API.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_host.hpp"

namespace tessera::plugins::billing::test {

using tessera::test::HttpResult;
using tessera::test::Json;
using tessera::test::TestHost;

class BillingTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        host_ = std::make_unique<TestHost>();
        host_->createTenant("acme");
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
    static Json created(const std::string& target, const Json& body) {
        auto r = call("POST", target, body);
        EXPECT_EQ(r.status, 201) << target << ": " << r.body;
        return r.json();
    }
    static std::string id(const Json& item) { return item.value("id", std::string()); }

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

    static inline std::unique_ptr<TestHost> host_;
};

}  // namespace tessera::plugins::billing::test
