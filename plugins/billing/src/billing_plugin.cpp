// The billing plugin: its whole surface (migrations, permissions, routes, events, Lua
// functions, background jobs) is declared here, in one place.

#include <memory>

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/idempotency.hpp>

#include "access.hpp"
#include "catalog.hpp"
#include "gateways.hpp"
#include "invoices.hpp"
#include "payments.hpp"
#include "pix_routes.hpp"
#include "products_service.hpp"
#include "reports.hpp"
#include "scripting.hpp"
#include "settings.hpp"
#include "subscriptions.hpp"

namespace tessera::plugins::billing {

using namespace sdk::rest;

// Created by migrations/0002_create_idempotency_keys.sql.
constexpr const char* kIdempotencyTable = "billing_idempotency_keys";

class BillingPlugin final : public sdk::Plugin {
public:
    void declare(sdk::Registrar& r) override {
        r.migrations(sdk::embeddedMigrations());

        r.permission("billing.read", "Read products, tax rates, invoices, payments, subscriptions and reports");
        r.countsRecords("billing_invoices");
        r.countsRecords("billing_products");
        r.countsRecords("billing_subscriptions");
        r.resealsSecrets(resealWebhookSecrets);
        r.permission("billing.write", "Create products, draft and issue invoices, record payments, manage subscriptions");
        r.permission("billing.delete", "Delete draft invoices and unused products");
        r.permission("billing.invoices.void", "Void invoices and mark them uncollectible");
        r.permission("billing.admin", "Change billing settings (numbering, PIX, webhook secrets), tax rates; run billing jobs");

        using M = sdk::Method;
        const std::string base = "/api/v1/billing";
        auto once = [](sdk::Handler h) { return idempotent(kIdempotencyTable, std::move(h)); };
        r.route({M::Get, base + "/settings", "billing.read", getSettingsRoute});
        r.route({M::Patch, base + "/settings", "billing.admin", patchSettingsRoute});

        r.route({M::Get, base + "/tax-rates", "billing.read", listTaxRatesRoute});
        r.route({M::Post, base + "/tax-rates", "billing.admin", once(createTaxRateRoute)});
        r.route({M::Get, base + "/tax-rates/{id}", "billing.read", getTaxRateRoute});
        r.route({M::Patch, base + "/tax-rates/{id}", "billing.admin", patchTaxRateRoute});

        // Every route of a collection runs under the caller's role for it (access.hpp):
        // own records only, hidden fields. `item`: the {id} must be visible to the caller;
        // `create`: an own-records role's new record is its own; lists narrow themselves.
        using R = BillingResource;
        auto collection = [](R res, sdk::Handler h) { return underRole(res, false, false, std::move(h)); };
        auto create = [](R res, sdk::Handler h) { return underRole(res, false, true, std::move(h)); };
        auto item = [](R res, sdk::Handler h) { return underRole(res, true, false, std::move(h)); };
        auto itemCreate = [](R res, sdk::Handler h) { return underRole(res, true, true, std::move(h)); };

        r.route({M::Get, base + "/products", "billing.read", collection(R::Products, listProductsRoute)});
        r.route({M::Post, base + "/products", "billing.write", once(create(R::Products, createProductRoute))});
        r.route({M::Get, base + "/products/{id}", "billing.read", collection(R::Products, getProductRoute)});
        r.route({M::Patch, base + "/products/{id}", "billing.write", collection(R::Products, patchProductRoute)});
        r.route({M::Delete, base + "/products/{id}", "billing.delete", collection(R::Products, deleteProductRoute)});

        r.route({M::Get, base + "/invoices", "billing.read", collection(R::Invoices, listInvoicesRoute)});
        r.route({M::Post, base + "/invoices", "billing.write", once(create(R::Invoices, createInvoiceRoute))});
        r.route({M::Get, base + "/invoices/{id}", "billing.read", item(R::Invoices, getInvoiceRoute)});
        r.route({M::Patch, base + "/invoices/{id}", "billing.write", item(R::Invoices, patchInvoiceRoute)});
        r.route({M::Delete, base + "/invoices/{id}", "billing.delete", item(R::Invoices, deleteInvoiceRoute)});
        r.route({M::Post, base + "/invoices/{id}/issue", "billing.write", item(R::Invoices, issueInvoiceRoute)});
        r.route({M::Post, base + "/invoices/{id}/void", "billing.invoices.void", item(R::Invoices, voidInvoiceRoute)});
        r.route({M::Post, base + "/invoices/{id}/mark-uncollectible", "billing.invoices.void",
                 item(R::Invoices, markUncollectibleRoute)});
        r.route({M::Post, base + "/invoices/{id}/credit-notes", "billing.write",
                 once(item(R::Invoices, createCreditNoteRoute))});
        r.route({M::Get, base + "/invoices/{id}/payments", "billing.read", item(R::Payments, listInvoicePaymentsRoute)});
        r.route({M::Post, base + "/invoices/{id}/payments", "billing.write",
                 once(itemCreate(R::Payments, recordPaymentRoute))});
        r.route({M::Get, base + "/invoices/{id}/pix", "billing.read", item(R::Invoices, pixPayloadRoute)});
        r.route({M::Get, base + "/invoices/{id}/pix.svg", "billing.read", item(R::Invoices, pixSvgRoute)});
        r.route({M::Get, base + "/invoices/{id}/pix.png", "billing.read", item(R::Invoices, pixPngRoute)});
        r.route({M::Get, base + "/payments", "billing.read", collection(R::Payments, listPaymentsRoute)});

        // Public: gateways cannot log in; the HMAC signature with the tenant's secret is
        // the authentication.
        sdk::Route webhook{M::Post, base + "/webhooks/{provider}", "", webhookRoute};
        webhook.is_public = true;
        r.route(std::move(webhook));

        r.route({M::Get, base + "/subscriptions", "billing.read", collection(R::Subscriptions, listSubscriptionsRoute)});
        r.route({M::Post, base + "/subscriptions", "billing.write",
                 once(create(R::Subscriptions, createSubscriptionRoute))});
        r.route({M::Get, base + "/subscriptions/{id}", "billing.read", item(R::Subscriptions, getSubscriptionRoute)});
        r.route({M::Patch, base + "/subscriptions/{id}", "billing.write", item(R::Subscriptions, patchSubscriptionRoute)});
        r.route({M::Post, base + "/subscriptions/{id}/cancel", "billing.write",
                 item(R::Subscriptions, cancelSubscriptionRoute)});

        r.route({M::Get, base + "/reports/revenue", "billing.read", revenueReportRoute});
        r.route({M::Get, base + "/reports/aging", "billing.read", agingReportRoute});
        r.route({M::Get, base + "/reports/mrr", "billing.read", mrrReportRoute});

        r.route({M::Post, base + "/jobs/run", "billing.admin", runJobsRoute});

        for (const char* event : {"invoice.created", "invoice.issued", "invoice.deleted", "invoice.voided",
                                  "invoice.uncollectible", "invoice.paid", "invoice.overdue", "payment.received",
                                  "subscription.created", "subscription.updated", "subscription.canceled"})
            r.publishes(event);

        // Deals (or any plugin) read the catalog through this, never through our tables.
        r.provide<services::BillingProductsService>(products_);

        r.scriptFunction("billing.invoices.create", "billing.write", scriptCreateInvoice);
        r.scriptFunction("billing.invoices.get", "billing.read", scriptGetInvoice);
        r.scriptFunction("billing.invoices.find", "billing.read", scriptFindInvoices);
        r.scriptFunction("billing.invoices.void", "billing.invoices.void", scriptVoidInvoice);
        r.scriptFunction("billing.payments.record", "billing.write", scriptRecordPayment);
    }

    void start(sdk::HostContext& host) override {
        // [plugins.billing] job_interval_seconds: how often subscriptions are billed and
        // overdue invoices noticed. Both are idempotent, so a short interval only costs queries.
        long interval = 3600;
        const std::string configured = host.config("job_interval_seconds", "3600");
        try {
            interval = std::stol(configured);
        } catch (...) {
            interval = 0;
        }
        if (interval < 1 || interval > 86400) {
            host.log().warn("job_interval_seconds must be 1-86400; using 3600 instead of '" + configured + "'");
            interval = 3600;
        }
        host.everyTenant("billing jobs", std::chrono::seconds(interval), [](sdk::TenantScope& scope) {
            JobReport report;
            const auto today = todayUtc();
            runSubscriptionBilling(scope, today, report);
            runOverdueNotices(scope, today, report);
        });
        host.everyTenant("purge idempotency keys", std::chrono::hours(1),
                         [](sdk::TenantScope& scope) { purgeIdempotencyKeys(scope.db(), kIdempotencyTable); });
    }

private:
    std::shared_ptr<BillingProductsServiceImpl> products_ = std::make_shared<BillingProductsServiceImpl>();
};

}  // namespace tessera::plugins::billing

TESSERA_PLUGIN(tessera::plugins::billing::BillingPlugin, "billing", "1.0.0")
