// Payments (partial, full, overpayment, currency) and payment gateway webhooks
// (signature, replay, concurrency of duplicate deliveries).

#include <thread>
#include <vector>

#include "billing_fixture.hpp"
#include "hmac.hpp"

namespace tessera::plugins::billing::test {
namespace {

constexpr const char* kSecret = "whsec_test_0123456789abcdef";

using tessera::test::hmacHex;

class BillingPayments : public BillingTest {
protected:
    static void SetUpTestSuite() {
        BillingTest::SetUpTestSuite();
        auto r = call("PATCH", "/api/v1/billing/settings", {{"webhook_secrets", {{"generic", kSecret}}}});
        ASSERT_EQ(r.status, 200) << r.body;
        ASSERT_EQ(r.json()["webhook_providers"], Json::array({"generic"}));
        EXPECT_EQ(r.body.find(kSecret), std::string::npos) << "the secret must never be returned";
    }
    // A webhook delivery with no credentials but the signature.
    static HttpResult deliver(const std::string& body, const std::string& signature) {
        return tessera::test::httpRequest(host_->port(), "POST", "/api/v1/billing/webhooks/generic",
                                          {{"X-Tenant", "acme"}, {"Content-Type", "application/json"},
                                           {"X-Signature", signature}},
                                          body);
    }
    static std::string paymentEvent(const std::string& event_id, const std::string& invoice_id, long amount) {
        return Json{{"id", event_id},
                    {"type", "payment.succeeded"},
                    {"data", {{"invoice_id", invoice_id}, {"amount", amount}, {"currency", "BRL"}, {"method", "pix"},
                              {"reference", "E2E-" + event_id}}}}
            .dump();
    }
};

TEST_F(BillingPayments, PartialPaymentsThenPaidAndOverpaymentRefused) {
    const auto customer = createCustomer("Fabio");
    const auto inv = openInvoice(id(customer), 10000);
    const std::string path = "/api/v1/billing/invoices/" + id(inv) + "/payments";
    auto p1 = call("POST", path, {{"amount", 3000}, {"method", "pix"}, {"reference", "tx1"}, {"paid_on", "2026-01-05"}});
    ASSERT_EQ(p1.status, 201) << p1.body;
    EXPECT_EQ(p1.json()["payment"]["amount"], 3000);
    EXPECT_EQ(p1.json()["invoice"]["status"], "open");
    EXPECT_EQ(p1.json()["invoice"]["amount_due"], 7000);

    auto over = call("POST", path, {{"amount", 7001}, {"method", "cash"}});
    ASSERT_EQ(over.status, 422) << over.body;
    EXPECT_EQ(over.json()["error"]["code"], "overpayment");
    EXPECT_EQ(over.json()["error"]["fields"]["amount"], "must be at most 7000 (the amount due)");

    auto wrong_currency = call("POST", path, {{"amount", 100}, {"method", "cash"}, {"currency", "USD"}});
    EXPECT_EQ(wrong_currency.status, 422);
    EXPECT_EQ(wrong_currency.json()["error"]["code"], "currency_mismatch");

    auto bad = call("POST", path, {{"amount", 0}, {"method", "cheque"}, {"paid_on", "2026-02-30"}});
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"].size(), 3u);

    auto p2 = call("POST", path, {{"amount", 7000}, {"method", "bank_transfer"}});
    ASSERT_EQ(p2.status, 201) << p2.body;
    EXPECT_EQ(p2.json()["invoice"]["status"], "paid");
    EXPECT_EQ(p2.json()["invoice"]["amount_paid"], 10000);
    EXPECT_EQ(p2.json()["invoice"]["amount_due"], 0);
    EXPECT_TRUE(p2.json()["invoice"]["paid_at"].is_string());

    auto list = call("GET", path);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["data"].size(), 2u);
    EXPECT_EQ(call("POST", path, {{"amount", 1}, {"method", "cash"}}).status, 409);  // paid: nothing is due
}

TEST_F(BillingPayments, ConcurrentPaymentsNeverExceedTheTotal) {
    const auto customer = createCustomer("Race");
    const auto inv = openInvoice(id(customer), 1000);
    std::vector<HttpResult> results(6);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            results[i] = call("POST", "/api/v1/billing/invoices/" + id(inv) + "/payments", {{"amount", 400}, {"method", "card"}});
        });
    for (auto& t : threads) t.join();
    int accepted = 0;
    for (const auto& r : results) accepted += r.status == 201 ? 1 : 0;
    EXPECT_EQ(accepted, 2);  // 400 + 400; a third would exceed 1000
    EXPECT_EQ(invoice(id(inv))["amount_paid"], 800);
}

TEST_F(BillingPayments, WebhookRefusesMissingOrWrongSignatures) {
    const auto customer = createCustomer("Gil");
    const auto inv = openInvoice(id(customer), 5000);
    const std::string body = paymentEvent("evt_sig_1", id(inv), 5000);
    auto none = deliver(body, "");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.json()["error"]["code"], "invalid_signature");
    auto wrong = deliver(body, "sha256=" + hmacHex("another secret entirely", body));
    EXPECT_EQ(wrong.status, 401);
    // A signature of a different body does not carry over.
    auto tampered = deliver(paymentEvent("evt_sig_1", id(inv), 1), "sha256=" + hmacHex(kSecret, body));
    EXPECT_EQ(tampered.status, 401);
    EXPECT_EQ(invoice(id(inv))["amount_paid"], 0);
    auto unknown = tessera::test::httpRequest(host_->port(), "POST", "/api/v1/billing/webhooks/nope",
                                              {{"X-Tenant", "acme"}}, body);
    EXPECT_EQ(unknown.status, 404);
}

TEST_F(BillingPayments, WebhookSecretsAreStoredSealedAndBoundToTheirProvider) {
    auto stored = host_->tenantSql("acme", "SELECT secret FROM billing_webhook_secrets WHERE provider = 'generic'");
    ASSERT_EQ(stored.size(), 1u);
    const std::string sealed = stored[0][0].value_or("");
    EXPECT_EQ(sealed.find(kSecret), std::string::npos) << "the secret is stored as plaintext";
    EXPECT_EQ(sealed.rfind("v1:", 0), 0u) << sealed;  // the sealed format of docs/security.md

    const auto customer = createCustomer("Hana");
    const auto inv = openInvoice(id(customer), 2000);
    const std::string body = paymentEvent("evt_sealed_1", id(inv), 2000);
    EXPECT_EQ(deliver(body, "sha256=" + hmacHex(kSecret, body)).status, 200);

    // A database written before secrets were sealed still works, and is sealed on first use.
    const std::string legacy = "legacy-plaintext-secret-0123456789";
    host_->tenantSql("acme", "UPDATE billing_webhook_secrets SET secret = '" + legacy + "' WHERE provider = 'generic'");
    const auto inv2 = openInvoice(id(customer), 1000);
    const std::string body2 = paymentEvent("evt_sealed_2", id(inv2), 1000);
    auto legacy_delivery = deliver(body2, "sha256=" + hmacHex(legacy, body2));
    EXPECT_EQ(legacy_delivery.status, 200) << legacy_delivery.body;
    stored = host_->tenantSql("acme", "SELECT secret FROM billing_webhook_secrets WHERE provider = 'generic'");
    EXPECT_EQ(stored[0][0].value_or("").find(legacy), std::string::npos) << "the legacy secret was not sealed";

    // A sealed value moved elsewhere does not open: here, another tenant's.
    host_->tenantSql("acme", "UPDATE billing_webhook_secrets SET secret = '" + sealed + "' WHERE provider = 'generic'");
    host_->createTenant("moved-secrets");
    host_->tenantSql("moved-secrets", "INSERT INTO billing_webhook_secrets (provider, secret, updated_at) VALUES "
                                      "('generic', '" + sealed + "', '2026-01-01T00:00:00.000Z')");
    auto moved = tessera::test::httpRequest(host_->port(), "POST", "/api/v1/billing/webhooks/generic",
                                            {{"X-Tenant", "moved-secrets"}, {"X-Signature", "sha256=" + hmacHex(kSecret, body)}},
                                            body);
    EXPECT_EQ(moved.status, 503) << moved.body;
    EXPECT_EQ(moved.json()["error"]["code"], "secret_unreadable");
    EXPECT_EQ(moved.body.find(kSecret), std::string::npos);
}

TEST_F(BillingPayments, WebhookRecordsThePaymentOnceAndReplaysTheSameAnswer) {
    const auto customer = createCustomer("Helena");
    const auto inv = openInvoice(id(customer), 5000);
    const std::string body = paymentEvent("evt_replay_1", id(inv), 2000);
    const std::string sig = "sha256=" + hmacHex(kSecret, body);
    auto first = deliver(body, sig);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.json()["status"], "processed");
    EXPECT_EQ(first.json()["invoice_status"], "open");
    auto again = deliver(body, sig);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json(), first.json());
    EXPECT_EQ(again.header("idempotent-replayed"), "true");
    EXPECT_EQ(invoice(id(inv))["amount_paid"], 2000);

    // Duplicate deliveries at the same moment still record one payment.
    const std::string body2 = paymentEvent("evt_replay_2", id(inv), 3000);
    const std::string sig2 = "sha256=" + hmacHex(kSecret, body2);
    std::vector<HttpResult> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i) threads.emplace_back([&, i] { results[i] = deliver(body2, sig2); });
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.json()["payment_id"], results[0].json()["payment_id"]);
    }
    const auto paid = invoice(id(inv));
    EXPECT_EQ(paid["amount_paid"], 5000);
    EXPECT_EQ(paid["status"], "paid");
    auto payments = call("GET", "/api/v1/billing/invoices/" + id(inv) + "/payments").json()["data"];
    ASSERT_EQ(payments.size(), 2u);
    EXPECT_EQ(payments[0]["provider"], "generic");
    EXPECT_EQ(payments[0]["provider_event_id"], "evt_replay_1");
}

TEST_F(BillingPayments, WebhookFailuresAreStableAndOtherEventsIgnored) {
    const auto customer = createCustomer("Ivo");
    const auto inv = openInvoice(id(customer), 1000);
    const std::string over = paymentEvent("evt_over", id(inv), 5000);
    auto r1 = deliver(over, "sha256=" + hmacHex(kSecret, over));
    EXPECT_EQ(r1.status, 422);
    auto r2 = deliver(over, "sha256=" + hmacHex(kSecret, over));
    EXPECT_EQ(r2.status, 422);
    EXPECT_EQ(r2.json()["error"]["code"], "overpayment");
    const std::string other = Json{{"id", "evt_refund"}, {"type", "charge.refunded"}}.dump();
    auto ignored = deliver(other, "sha256=" + hmacHex(kSecret, other));
    ASSERT_EQ(ignored.status, 200) << ignored.body;
    EXPECT_EQ(ignored.json()["status"], "ignored");
    const std::string malformed = Json{{"id", "evt_bad"}, {"type", "payment.succeeded"}, {"data", {{"amount", "ten"}}}}.dump();
    auto bad = deliver(malformed, "sha256=" + hmacHex(kSecret, malformed));
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(bad.json()["error"]["fields"].contains("data.amount"));
    EXPECT_EQ(invoice(id(inv))["amount_paid"], 0);
}

}  // namespace
}  // namespace tessera::plugins::billing::test
