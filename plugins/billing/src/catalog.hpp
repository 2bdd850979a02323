#pragma once
/// The catalog: tax rates and products. Invoice lines copy what they use (name, price,
/// percent), so changing the catalog never changes an issued invoice.

#include <optional>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

sdk::Response listTaxRatesRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// POST: name (unique), percent ("12.5", up to 4 decimals, 0-100), inclusive, active.
sdk::Response createTaxRateRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response getTaxRateRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response patchTaxRateRoute(const sdk::Request& req, sdk::TenantScope& scope);

/// The product with `id` in its REST representation, or nullopt.
std::optional<sdk::Json> findProduct(sdk::Database& db, const std::string& id);

sdk::Response listProductsRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// POST: sku (unique), name, description, unit_price, currency, tax_rate_id, unit, active.
sdk::Response createProductRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response getProductRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response patchProductRoute(const sdk::Request& req, sdk::TenantScope& scope);
/// DELETE: 409 product_in_use when an invoice or subscription uses it (deactivate it instead).
sdk::Response deleteProductRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
