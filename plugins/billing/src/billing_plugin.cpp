// The billing plugin: its whole surface (migrations, permissions, routes, events, Lua
// functions, background jobs) is declared here, in one place.

#include <memory>

#include <tessera/sdk.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/rest/dates.hpp>

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
        r.route({.method = M::Get, .path = "/api/v1/billing/settings", .permission = "billing.read",
                 .handler = getSettingsRoute});
        r.route({.method = M::Patch, .path = "/api/v1/billing/settings", .permission = "billing.admin",
                 .handler = patchSettingsRoute});

        r.route({.method = M::Get, .path = "/api/v1/billing/tax-rates", .permission = "billing.read",
                 .handler = listTaxRatesRoute});
        r.route({.method = M::Post, .path = "/api/v1/billing/tax-rates", .permission = "billing.admin",
                 .handler = createTaxRateRoute, .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/billing/tax-rates/{id}", .permission = "billing.read",
                 .handler = getTaxRateRoute});
        r.route({.method = M::Patch, .path = "/api/v1/billing/tax-rates/{id}", .permission = "billing.admin",
                 .handler = patchTaxRateRoute});

        // Every route of a collection runs under the caller's role for it (access.hpp):
        // own records only, hidden fields. `item`: the {id} must be visible to the caller;
        // `create`: an own-records role's new record is its own; lists narrow themselves.
        using R = BillingResource;
        auto collection = [](R res, sdk::Handler h) { return underRole(res, false, false, std::move(h)); };
        auto create = [](R res, sdk::Handler h) { return underRole(res, false, true, std::move(h)); };
        auto item = [](R res, sdk::Handler h) { return underRole(res, true, false, std::move(h)); };
        auto itemCreate = [](R res, sdk::Handler h) { return underRole(res, true, true, std::move(h)); };

        r.route({.method = M::Get, .path = "/api/v1/billing/products", .permission = "billing.read",
                 .handler = collection(R::Products, listProductsRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/products", .permission = "billing.write",
                 .handler = create(R::Products, createProductRoute), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/billing/products/{id}", .permission = "billing.read",
                 .handler = collection(R::Products, getProductRoute)});
        r.route({.method = M::Patch, .path = "/api/v1/billing/products/{id}", .permission = "billing.write",
                 .handler = collection(R::Products, patchProductRoute)});
        r.route({.method = M::Delete, .path = "/api/v1/billing/products/{id}", .permission = "billing.delete",
                 .handler = collection(R::Products, deleteProductRoute)});

        r.route({.method = M::Get, .path = "/api/v1/billing/invoices", .permission = "billing.read",
                 .handler = collection(R::Invoices, listInvoicesRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/invoices", .permission = "billing.write",
                 .handler = create(R::Invoices, createInvoiceRoute), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/billing/invoices/{id}", .permission = "billing.read",
                 .handler = item(R::Invoices, getInvoiceRoute)});
        r.route({.method = M::Patch, .path = "/api/v1/billing/invoices/{id}", .permission = "billing.write",
                 .handler = item(R::Invoices, patchInvoiceRoute)});
        r.route({.method = M::Delete, .path = "/api/v1/billing/invoices/{id}", .permission = "billing.delete",
                 .handler = item(R::Invoices, deleteInvoiceRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/invoices/{id}/issue", .permission = "billing.write",
                 .handler = item(R::Invoices, issueInvoiceRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/invoices/{id}/void", .permission = "billing.invoices.void",
                 .handler = item(R::Invoices, voidInvoiceRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/invoices/{id}/mark-uncollectible",
                 .permission = "billing.invoices.void",
                 .handler = item(R::Invoices, markUncollectibleRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/invoices/{id}/credit-notes", .permission = "billing.write",
                 .handler = item(R::Invoices, createCreditNoteRoute), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/billing/invoices/{id}/payments", .permission = "billing.read",
                 .handler = item(R::Payments, listInvoicePaymentsRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/invoices/{id}/payments", .permission = "billing.write",
                 .handler = itemCreate(R::Payments, recordPaymentRoute), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/billing/invoices/{id}/pix", .permission = "billing.read",
                 .handler = item(R::Invoices, pixPayloadRoute)});
        r.route({.method = M::Get, .path = "/api/v1/billing/invoices/{id}/pix.svg", .permission = "billing.read",
                 .handler = item(R::Invoices, pixSvgRoute)});
        r.route({.method = M::Get, .path = "/api/v1/billing/invoices/{id}/pix.png", .permission = "billing.read",
                 .handler = item(R::Invoices, pixPngRoute)});
        r.route({.method = M::Get, .path = "/api/v1/billing/payments", .permission = "billing.read",
                 .handler = collection(R::Payments, listPaymentsRoute)});

        // Public: gateways cannot log in; the HMAC signature with the tenant's secret is
        // the authentication.
        r.route({.method = M::Post, .path = "/api/v1/billing/webhooks/{provider}", .handler = webhookRoute,
                 .is_public = true});

        r.route({.method = M::Get, .path = "/api/v1/billing/subscriptions", .permission = "billing.read",
                 .handler = collection(R::Subscriptions, listSubscriptionsRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/subscriptions", .permission = "billing.write",
                 .handler = create(R::Subscriptions, createSubscriptionRoute), .idempotent = true});
        r.route({.method = M::Get, .path = "/api/v1/billing/subscriptions/{id}", .permission = "billing.read",
                 .handler = item(R::Subscriptions, getSubscriptionRoute)});
        r.route({.method = M::Patch, .path = "/api/v1/billing/subscriptions/{id}", .permission = "billing.write",
                 .handler = item(R::Subscriptions, patchSubscriptionRoute)});
        r.route({.method = M::Post, .path = "/api/v1/billing/subscriptions/{id}/cancel", .permission = "billing.write",
                 .handler = item(R::Subscriptions, cancelSubscriptionRoute)});

        r.route({.method = M::Get, .path = "/api/v1/billing/reports/revenue", .permission = "billing.read",
                 .handler = revenueReportRoute});
        r.route({.method = M::Get, .path = "/api/v1/billing/reports/aging", .permission = "billing.read",
                 .handler = agingReportRoute});
        r.route({.method = M::Get, .path = "/api/v1/billing/reports/mrr", .permission = "billing.read",
                 .handler = mrrReportRoute});

        r.route({.method = M::Post, .path = "/api/v1/billing/jobs/run", .permission = "billing.admin",
                 .handler = runJobsRoute});

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
    }

private:
    std::shared_ptr<BillingProductsServiceImpl> products_ = std::make_shared<BillingProductsServiceImpl>();
};

}  // namespace tessera::plugins::billing

TESSERA_PLUGIN(tessera::plugins::billing::BillingPlugin)
