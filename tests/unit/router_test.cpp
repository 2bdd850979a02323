#include <gtest/gtest.h>

#include "http/router.hpp"
#include "plugins/registry.hpp"

using namespace tessera;
using host::Router;

static sdk::Route route(sdk::Method m, const std::string& path, const std::string& permission = "x.read") {
    return {m, path, permission, [](const sdk::Request&, sdk::TenantScope&) { return sdk::Response::empty(); }};
}

TEST(Router, MatchesParametersAndPrefersLiterals) {
    Router r;
    r.add({route(sdk::Method::Get, "/api/v1/contacts/{id}"), "contacts"});
    r.add({route(sdk::Method::Get, "/api/v1/contacts/export"), "contacts"});
    r.add({route(sdk::Method::Delete, "/api/v1/contacts/{id}"), "contacts"});
    auto m = r.match(sdk::Method::Get, "/api/v1/contacts/c%2042");
    ASSERT_TRUE(m.match);
    EXPECT_EQ(m.match->params.at("id"), "c 42");
    auto e = r.match(sdk::Method::Get, "/api/v1/contacts/export");
    ASSERT_TRUE(e.match);
    EXPECT_EQ(e.match->entry->route.path, "/api/v1/contacts/export");
    auto wrong = r.match(sdk::Method::Post, "/api/v1/contacts/7");
    EXPECT_FALSE(wrong.match);
    EXPECT_EQ(wrong.allowed, (std::vector{sdk::Method::Get, sdk::Method::Delete, sdk::Method::Head}));
    EXPECT_FALSE(r.match(sdk::Method::Get, "/api/v1/contacts").match);
    EXPECT_FALSE(r.match(sdk::Method::Get, "/api/v1/contacts/%zz").match);
}

TEST(Router, MatchesRoutesOfEveryShapeWhateverTheCollection) {
    Router r;
    r.add({route(sdk::Method::Get, "/"), "host"});
    r.add({route(sdk::Method::Get, "/healthz"), "host"});
    r.add({route(sdk::Method::Get, "/api/{version}/status"), "host"});
    r.add({route(sdk::Method::Get, "/api/v1/{collection}"), "a"});
    r.add({route(sdk::Method::Get, "/api/v1/deals"), "deals"});
    r.add({route(sdk::Method::Post, "/api/v1/deals"), "deals"});
    r.add({route(sdk::Method::Get, "/api/v1/deals/{id}/notes"), "deals"});
    EXPECT_EQ(r.match(sdk::Method::Get, "/").match->entry->route.path, "/");
    EXPECT_EQ(r.match(sdk::Method::Get, "/healthz").match->entry->route.path, "/healthz");
    auto status = r.match(sdk::Method::Get, "/api/v2/status");
    ASSERT_TRUE(status.match);
    EXPECT_EQ(status.match->params.at("version"), "v2");
    // The literal beats the parameter, in either registration order.
    EXPECT_EQ(r.match(sdk::Method::Get, "/api/v1/deals").match->entry->plugin, "deals");
    EXPECT_EQ(r.match(sdk::Method::Get, "/api/v1/things").match->params.at("collection"), "things");
    EXPECT_EQ(r.match(sdk::Method::Get, "/api/v1/%7B%7D").match->params.at("collection"), "{}");
    auto braces = r.match(sdk::Method::Delete, "/api/v1/{}");
    EXPECT_FALSE(braces.match);
    // The parameter route's GET, once, and the HEAD every GET route answers.
    EXPECT_EQ(braces.allowed, (std::vector{sdk::Method::Get, sdk::Method::Head}));
    EXPECT_EQ(r.match(sdk::Method::Delete, "/api/v1/deals").allowed,
              (std::vector{sdk::Method::Get, sdk::Method::Post, sdk::Method::Head}));
    // HEAD is answered by the GET route.
    EXPECT_EQ(r.match(sdk::Method::Head, "/api/v1/deals").match->entry->route.method, sdk::Method::Get);
    EXPECT_TRUE(r.match(sdk::Method::Get, "/api/v1/deals/d1/notes").match);
    EXPECT_FALSE(r.match(sdk::Method::Get, "/api/v1/deals/d1/notes/extra/segments/beyond/any/route").match);
    r.removePlugin("deals");
    EXPECT_EQ(r.match(sdk::Method::Get, "/api/v1/deals").match->entry->plugin, "a");
    EXPECT_FALSE(r.match(sdk::Method::Get, "/api/v1/deals/d1/notes").match);
}

TEST(Router, DetectsOverlapRegardlessOfParameterNames) {
    Router r;
    r.add({route(sdk::Method::Get, "/api/v1/items/{id}"), "a"});
    EXPECT_NE(r.conflicting(route(sdk::Method::Get, "/api/v1/items/{other}")), nullptr);
    EXPECT_EQ(r.conflicting(route(sdk::Method::Post, "/api/v1/items/{other}")), nullptr);
    EXPECT_EQ(r.conflicting(route(sdk::Method::Get, "/api/v1/items/special")), nullptr);
}

TEST(Router, RejectsMalformedPatterns) {
    EXPECT_THROW(Router::validatePattern("api/v1"), std::invalid_argument);
    EXPECT_THROW(Router::validatePattern("/api//v1"), std::invalid_argument);
    EXPECT_THROW(Router::validatePattern("/api/{id}/{id}"), std::invalid_argument);
    EXPECT_THROW(Router::validatePattern("/api/x{id}"), std::invalid_argument);
    EXPECT_NO_THROW(Router::validatePattern("/api/v1/{id}"));
}

TEST(Registry, CommitIsAllOrNothing) {
    host::Registry reg;
    host::PluginRegistrar a("a");
    a.permission("a.read", "read");
    a.route(route(sdk::Method::Get, "/api/v1/a/{id}", "a.read"));
    reg.commit(a.take());

    host::PluginRegistrar b("b");
    b.permission("b.read", "read");
    b.route(route(sdk::Method::Get, "/api/v1/b", "b.read"));
    b.route(route(sdk::Method::Get, "/api/v1/a/{x}", "b.read"));  // overlaps a's route
    try {
        reg.commit(b.take());
        FAIL() << "overlap accepted";
    } catch (const sdk::RegistrationError& e) {
        EXPECT_NE(std::string(e.what()).find("of plugin 'a'"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(reg.router().match(sdk::Method::Get, "/api/v1/b").match);
    EXPECT_FALSE(reg.permissionExists("b.read"));
}

TEST(Registry, RefusesRoutesWithUndeclaredPermissions) {
    host::Registry reg;
    host::PluginRegistrar p("p");
    p.route({sdk::Method::Get, "/api/v1/p", "p.read", [](const sdk::Request&, sdk::TenantScope&) { return sdk::Response::empty(); }});
    EXPECT_THROW(reg.commit(p.take()), sdk::RegistrationError);
}

TEST(Registry, OnlyPostRoutesMayBeIdempotent) {
    host::PluginRegistrar p("p");
    auto nothing = [](const sdk::Request&, sdk::TenantScope&) { return sdk::Response::empty(); };
    p.route({.method = sdk::Method::Post, .path = "/api/v1/p", .permission = "p.write", .handler = nothing,
             .idempotent = true});
    try {
        p.route({.method = sdk::Method::Put, .path = "/api/v1/p/{id}", .permission = "p.write", .handler = nothing,
                 .idempotent = true});
        FAIL() << "a PUT route was accepted as idempotent";
    } catch (const sdk::RegistrationError& e) {
        EXPECT_NE(std::string(e.what()).find("PUT /api/v1/p/{id} is marked idempotent"), std::string::npos)
            << e.what();
    }
}

namespace {
struct ServiceWithAHostName {
    static constexpr const char* kServiceName = "tessera.secrets";
};
}  // namespace

TEST(Registry, ServiceNamesOfTheHostAreReserved) {
    host::PluginRegistrar p("p");
    try {
        p.provide(std::make_shared<ServiceWithAHostName>());
        FAIL() << "a plugin provided a host service name";
    } catch (const sdk::RegistrationError& e) {
        EXPECT_NE(std::string(e.what()).find("belong to the host"), std::string::npos) << e.what();
    }
}

TEST(PercentDecode, AcceptsUtf8TextAndRefusesNulAndInvalidBytes) {
    EXPECT_EQ(host::percentDecode("caf%C3%A9+au+lait", true), "café au lait");
    EXPECT_EQ(host::percentDecode("%E2%9C%93", false), "✓");
    EXPECT_FALSE(host::percentDecode("nul%00byte", false));
    EXPECT_FALSE(host::percentDecode("%FF%FE", false));
    EXPECT_FALSE(host::percentDecode("%C3", false));  // truncated sequence
    EXPECT_FALSE(host::percentDecode("%zz", false));
    // A route parameter that is not text matches no route (404), never a query.
    host::Router router;
    router.add({{sdk::Method::Get, "/api/v1/roles/{id}", "", [](const sdk::Request&, sdk::TenantScope&) {
                     return sdk::Response::empty();
                 }},
                "p"});
    EXPECT_TRUE(router.match(sdk::Method::Get, "/api/v1/roles/role_1").match);
    EXPECT_FALSE(router.match(sdk::Method::Get, "/api/v1/roles/nul%00byte").match);
}
