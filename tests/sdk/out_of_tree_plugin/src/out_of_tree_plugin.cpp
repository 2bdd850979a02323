#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/errors.hpp>

namespace sdk = tessera::sdk;

class OutOfTreePlugin : public sdk::Plugin {
public:
    void declare(sdk::Registrar& r) override {
        r.permission("out_of_tree.read", "Say hello");
        r.route({.method = sdk::Method::Get, .path = "/api/v1/out-of-tree/hello", .permission = "out_of_tree.read",
                 .handler = [](const sdk::Request& req, sdk::TenantScope& s) {
                     // The installed REST helper library links too: unknown parameters are a 400.
                     sdk::rest::allowOnlyParams(req, {});
                     return sdk::Response::json({{"hello", s.tenant().slug}});
                 }});
    }
};

TESSERA_PLUGIN(OutOfTreePlugin, "out_of_tree", "1.0.0")
