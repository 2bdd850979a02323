#include "products_service.hpp"

#include "catalog.hpp"

namespace tessera::plugins::billing {

std::optional<sdk::Json> BillingProductsServiceImpl::get(sdk::TenantScope& scope, const std::string& id) {
    return findProduct(scope.db(), id);
}

}  // namespace tessera::plugins::billing
