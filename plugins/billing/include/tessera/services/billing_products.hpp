#pragma once
/// The `billing.products` service: how other plugins (deals) read the billing catalog
/// without touching billing's tables.
///
///     #include <tessera/services/billing_products.hpp>
///     if (auto* products = scope.service<tessera::services::BillingProductsService>()) {
///         auto product = products->get(scope, "pr_...");
///     }
///
/// `scope.service<>()` returns nullptr when the billing plugin is not loaded or not
/// enabled for the tenant, so a consumer can treat products as optional and need not
/// list billing in its plugin.json "depends". Link `tessera_billing_api` (CMake target)
/// for the include path.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::services {

class BillingProductsService {
public:
    static constexpr const char* kServiceName = "billing.products";

    virtual ~BillingProductsService() = default;

    /// The product with `id` in the scope's tenant in its REST representation (GET
    /// /api/v1/billing/products/{id}: id, sku, name, unit_price in minor units, currency,
    /// tax_rate_id, unit, active, ...), or nullopt. Thread-safe; call it only during the
    /// scope's call.
    virtual std::optional<sdk::Json> get(sdk::TenantScope& scope, const std::string& id) = 0;
};

}  // namespace tessera::services
