// The tenant and migration commands of the CLI, as an operator uses them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "e2e_util.hpp"

using namespace tessera::test;

TEST(TenantCli, CreateListDisableDelete) {
    TestHost host(fixtureDirs({"good"}));
    auto created = host.cli({"tenant", "create", "acme", "--name", "ACME Ltd"});
    ASSERT_EQ(created.exit_code, 0) << created.out;
    EXPECT_NE(created.out.find("created tenant acme (ACME Ltd) with plugins: fixture_good"), std::string::npos) << created.out;

    auto dup = host.cli({"tenant", "create", "acme"});
    EXPECT_EQ(dup.exit_code, 1);
    EXPECT_NE(dup.out.find("tenant 'acme' already exists"), std::string::npos) << dup.out;

    for (const std::string bad : {"A", "acme-", "acme_corp", "a", "../etc", "x'; DROP TABLE tenants;--"}) {
        auto r = host.cli({"tenant", "create", bad});
        EXPECT_EQ(r.exit_code, 1) << bad;
        EXPECT_NE(r.out.find("is invalid"), std::string::npos) << r.out;
    }

    auto list = host.cli({"tenant", "list", "--json"});
    auto j = Json::parse(list.out.substr(list.out.find('[')), nullptr, false);
    ASSERT_TRUE(j.is_array()) << list.out;
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["slug"], "acme");
    EXPECT_EQ(j[0]["status"], "active");

    EXPECT_EQ(host.cli({"tenant", "disable", "acme"}).exit_code, 0);
    EXPECT_NE(host.cli({"tenant", "list"}).out.find("disabled"), std::string::npos);
    EXPECT_EQ(host.cli({"tenant", "disable", "nobody"}).exit_code, 1);

    auto unconfirmed = host.cli({"tenant", "delete", "acme"});
    EXPECT_EQ(unconfirmed.exit_code, 2);
    EXPECT_NE(unconfirmed.out.find("without --yes"), std::string::npos);
    EXPECT_EQ(host.cli({"tenant", "delete", "acme", "--yes"}).exit_code, 0);
    EXPECT_EQ(host.cli({"tenant", "list", "--json"}).out.find("acme"), std::string::npos);
    if (!host.onPostgres()) EXPECT_FALSE(std::filesystem::exists(host.dataDir() + "/tenants/acme.db"));
    // The slug can be reused: nothing of the old tenant is left.
    EXPECT_EQ(host.cli({"tenant", "create", "acme"}).exit_code, 0);
}

TEST(TenantCli, MigrateReportsStatusForEveryTenant) {
    TestHost host(fixtureDirs({"good"}));
    host.createTenant("one");
    host.createTenant("two");
    auto status = host.cli({"migrate", "--status"});
    EXPECT_EQ(status.exit_code, 0) << status.out;
    EXPECT_NE(status.out.find("one"), std::string::npos);
    EXPECT_NE(status.out.find("0001_create_items"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("2 tenants, 0 pending migrations"), std::string::npos) << status.out;
    auto run = host.cli({"migrate"});
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_NE(run.out.find("2 tenants, 0 migrations applied, 0 tenants failed"), std::string::npos) << run.out;
}

TEST(TenantCli, PluginCommandsNameWhatIsWrong) {
    TestHost host(fixtureDirs({"good"}));
    host.createTenant("acme");
    auto unknown = host.cli({"plugin", "enable", "nonexistent", "--tenant", "acme"});
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.out.find("no plugin 'nonexistent' is installed"), std::string::npos) << unknown.out;
    auto no_tenant = host.cli({"plugin", "enable", "fixture_good", "--tenant", "ghost"});
    EXPECT_EQ(no_tenant.exit_code, 1);
    EXPECT_NE(no_tenant.out.find("no tenant 'ghost'"), std::string::npos) << no_tenant.out;
    auto usage = host.cli({"plugin", "enable", "fixture_good"});
    EXPECT_EQ(usage.exit_code, 2);
    EXPECT_NE(usage.out.find("--tenant"), std::string::npos) << usage.out;
}

TEST(TenantCli, BadConfigurationIsReportedNotCrashedOn) {
    TestHost host(fixtureDirs({"good"}));
    host.setEnv("TESSERA_DATABASE_URL", "mysql://nope");
    auto r = host.cli({"tenant", "list"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("must start with sqlite:// or postgres://"), std::string::npos) << r.out;
    host.setEnv("TESSERA_DATABASE_URL", "");
    host.setEnv("TESSERA_WORKERS", "many");
    auto w = host.cli({"tenant", "list"});
    EXPECT_EQ(w.exit_code, 1);
    EXPECT_NE(w.out.find("TESSERA_WORKERS"), std::string::npos) << w.out;
}

// What a first user trips on: a misspelt key or command, a plan that does not exist.
TEST(TenantCli, MistakesAreNamedWithWhatWouldBeRight) {
    TestHost host;
    host.createTenant("acme");
    auto version = host.cli({"--version"});
    EXPECT_EQ(version.exit_code, 0) << version.out;
    EXPECT_NE(version.out.find("SDK 2.1.0, ABI 6"), std::string::npos) << version.out;

    auto typo = host.cli({"tenat", "list"});
    EXPECT_EQ(typo.exit_code, 2) << typo.out;
    EXPECT_NE(typo.out.find("did you mean 'tenant'?"), std::string::npos) << typo.out;

    auto plan = host.cli({"tenant", "plan", "acme", "gold"});
    EXPECT_EQ(plan.exit_code, 1) << plan.out;
    EXPECT_NE(plan.out.find("no plan 'gold'; the plans are: starter, professional"), std::string::npos) << plan.out;

    const std::string config = host.dataDir() + "/tessera.toml";
    std::ofstream(config) << "[http]\nmax_body_byte = 10\n";
    auto key = host.cli({"--config", config, "tenant", "list"});
    EXPECT_EQ(key.exit_code, 1) << key.out;
    EXPECT_NE(key.out.find("unknown key 'max_body_byte'"), std::string::npos) << key.out;
    std::ofstream(config) << "trusted_proxies = [\"10.0.0.0/33\"]\n";
    auto proxies = host.cli({"--config", config, "tenant", "list"});
    EXPECT_EQ(proxies.exit_code, 1) << proxies.out;
    EXPECT_NE(proxies.out.find("'10.0.0.0/33' is not an address or CIDR range"), std::string::npos) << proxies.out;

    auto routes = host.cli({"routes", "--json"});
    ASSERT_EQ(routes.exit_code, 0) << routes.out;
    const auto table = Json::parse(routes.out.substr(routes.out.find('[')));
    bool listed = false;
    for (const auto& r : table)
        listed = listed || (r["path"] == "/api/v1/contacts/{id}" && r["method"] == "GET" && r["owner"] == "contacts" &&
                            r["permission"] == "contacts.read");
    EXPECT_TRUE(listed) << routes.out.substr(0, 2000);

    // The text table: one line per route, its flags last.
    auto text = host.cli({"routes"});
    ASSERT_EQ(text.exit_code, 0) << text.out;
    std::istringstream lines(text.out);
    bool create_flagged = false;
    for (std::string line; std::getline(lines, line);)
        create_flagged = create_flagged || (line.rfind("POST ", 0) == 0 && line.find(" /api/v1/contacts ") != std::string::npos &&
                                            line.find("contacts.write") != std::string::npos &&
                                            line.find("idempotent") != std::string::npos);
    EXPECT_TRUE(create_flagged) << text.out.substr(0, 3000);
}
