// Tenant and route resolution: the route table of the built-in plugins' shapes matched
// against any method and path, tenant slugs, and the client address behind proxies.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/address_range.hpp"
#include "http/router.hpp"
#include "tenants/tenant_directory.hpp"

using namespace tessera;
using namespace tessera::host;

namespace {

Router makeRouter() {
    Router router;
    const char* paths[] = {"/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/contacts/export",
                           "/api/v1/contacts/{id}/activities", "/api/v1/deals/{id}/line-items/{item}",
                           "/api/v1/{collection}", "/", "/api/v1/billing/invoices/{id}/pay"};
    int n = 0;
    for (const char* path : paths)
        for (auto method : {sdk::Method::Get, sdk::Method::Post, sdk::Method::Delete}) {
            sdk::Route route;
            route.method = method;
            route.path = path;
            route.permission = "x.read";
            route.handler = [](const sdk::Request&, sdk::TenantScope&) { return sdk::Response::empty(); };
            router.add({route, "p" + std::to_string(n++ % 3)});
        }
    return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Router router = makeRouter();
    static const std::vector<AddressRange> trusted{*AddressRange::parse("10.0.0.0/8"), *AddressRange::parse("::1")};
    if (size < 1) return 0;
    const auto method = static_cast<sdk::Method>(data[0] % 7);
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto result = router.match(method, text);
    if (result.match && !result.allowed.empty()) __builtin_trap();
    (void)TenantDirectory::validSlug(text);
    (void)AddressRange::parse(text);
    const auto split = text.find('\n');
    (void)forwardedClient("10.0.0.1", text.substr(0, split), split == std::string::npos ? "" : text.substr(split + 1), trusted);
    return 0;
}
