#pragma once
/// Billing's implementation of the billing.products service (catalog reads for other
/// plugins, e.g. deal line items).

#include <tessera/services/billing_products.hpp>

namespace tessera::plugins::billing {

class BillingProductsServiceImpl final : public services::BillingProductsService {
public:
    std::optional<sdk::Json> get(sdk::TenantScope& scope, const std::string& id) override;
};

}  // namespace tessera::plugins::billing
