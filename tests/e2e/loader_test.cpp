// The loader against real fixture libraries: each bad plugin is refused with one line
// saying why, and the host keeps serving the good ones.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <tessera/sdk/version.hpp>

#include "e2e_util.hpp"

using namespace tessera::test;

namespace {

const std::vector<std::string> kAllCases = {"good", "dependent", "wrong_abi", "bad_manifest", "throws_declare",
                                            "throws_start", "missing_dep", "cycle_a", "cycle_b", "overlap", "old_sdk"};

std::map<std::string, Json> pluginStates(TestHost& host) {
    auto r = host.cli({"plugins", "--json"});
    auto list = jsonOutput(r.out);
    std::map<std::string, Json> out;
    if (!list.is_array()) {
        ADD_FAILURE() << r.out;
        return out;
    }
    bool refused = false;
    for (auto& p : list) {
        out[p["id"].get<std::string>()] = p;
        refused = refused || p["state"] == "refused";
    }
    // Scripts and deploy checks can tell a refusal from the exit code.
    EXPECT_EQ(r.exit_code, refused ? 1 : 0) << r.out;
    return out;
}

}  // namespace

TEST(Loader, RefusesEachBadFixtureWithItsReason) {
    TestHost host(fixtureDirs(kAllCases));
    auto s = pluginStates(host);
    auto expectRefused = [&](const std::string& id, const std::string& fragment) {
        ASSERT_TRUE(s.count(id)) << id << " not listed";
        EXPECT_EQ(s[id]["state"], "refused") << id;
        EXPECT_NE(s[id]["reason"].get<std::string>().find(fragment), std::string::npos)
            << id << ": " << s[id]["reason"];
    };
    EXPECT_EQ(s["fixture_good"]["state"], "active");
    EXPECT_EQ(s["fixture_dependent"]["state"], "active");
    // start() only runs when serving; the CLI declares but does not start.
    EXPECT_EQ(s["fixture_throws_start"]["state"], "active");
    expectRefused("fixture_wrong_abi",
                  "built for plugin ABI 999, this host speaks ABI " + std::to_string(TESSERA_ABI_VERSION));
    expectRefused("fixture_bad_manifest", "plugin.json: field 'version' must be semver");
    expectRefused("fixture_throws_declare", "declare() failed: declare exploded on purpose");
    expectRefused("fixture_missing_dep", "depends on 'fixture_nonexistent', which is not installed");
    expectRefused("fixture_cycle_a", "dependency cycle");
    expectRefused("fixture_cycle_b", "dependency cycle");
    expectRefused("fixture_overlap", "overlaps GET /api/v1/fixture/items/{id} of plugin 'fixture_good'");
    expectRefused("fixture_old_sdk", std::string("needs SDK >=3.0.0 <4.0.0, this host provides ") + TESSERA_SDK_VERSION_STRING);
}

TEST(Loader, RefusesAnIdLoadedTwice) {
    TestHost host(fixtureDirs({"good", "good"}));
    auto r = host.cli({"plugins"});
    EXPECT_NE(r.out.find("is already loaded from"), std::string::npos) << r.out;
}

TEST(Loader, ServesGoodPluginsAndNothingOfRefusedOnes) {
    TestHost host(fixtureDirs(kAllCases));
    host.createTenant("acme");
    ASSERT_TRUE(host.start()) << host.log();
    EXPECT_EQ(host.get("/api/v1/fixture/items", "acme").status, 200);
    // declare() registered this route before throwing; none of it may remain.
    EXPECT_EQ(host.get("/api/v1/throws-declare", "acme").status, 404);
    // start() threw: unloaded, its routes gone.
    EXPECT_EQ(host.get("/api/v1/throws-start", "acme").status, 404);
    EXPECT_NE(host.log().find("fixture_throws_start refused: start() failed: start exploded on purpose"), std::string::npos)
        << host.log();
    EXPECT_EQ(host.get("/api/v1/missing_dep", "acme").status, 404);
    EXPECT_EQ(host.get("/api/v1/dependent/greet", "acme").json()["greeting"], "hello dependent from acme");
    EXPECT_EQ(host.stop(), 0);
}

TEST(Loader, ARequiredPluginThatFailsStopsTheHost) {
    TestHost host(fixtureDirs({"good", "throws_declare"}));
    host.setEnv("TESSERA_REQUIRED_PLUGINS", "fixture_throws_declare");
    auto r = host.cli({"plugins"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("required plugin 'fixture_throws_declare' was refused: declare() failed"), std::string::npos) << r.out;
    EXPECT_FALSE(host.start());
    EXPECT_NE(host.log().find("required plugin 'fixture_throws_declare'"), std::string::npos) << host.log();

    TestHost starting(fixtureDirs({"good", "throws_start"}));
    starting.setEnv("TESSERA_REQUIRED_PLUGINS", "fixture_throws_start");
    EXPECT_FALSE(starting.start());
    EXPECT_NE(starting.log().find("required plugin 'fixture_throws_start' was refused: start() failed"), std::string::npos)
        << starting.log();
}

TEST(Loader, RefusesAStaleBuildFromItsManifestWithoutOpeningTheLibrary) {
    // throws_start loads in the CLI (start() runs only when serving): the control that a
    // library that is opened does leave its mark.
    TestHost host(fixtureDirs({"stale_build", "throws_start"}));
    const auto opened = std::filesystem::temp_directory_path() / ("tessera-opened-" + std::to_string(::getpid()));
    std::filesystem::create_directories(opened);
    host.setEnv("TESSERA_FIXTURE_OPENED_DIR", opened.string());
    auto s = pluginStates(host);
    EXPECT_EQ(s["fixture_stale_build"]["state"], "refused");
    const std::string reason = s["fixture_stale_build"].value("reason", "");
    EXPECT_NE(reason.find("plugin.json says it was built with [gcc-10.2.1 20210110;"), std::string::npos) << reason;
    EXPECT_NE(reason.find("sdk" TESSERA_SDK_VERSION_STRING ";"), std::string::npos) << reason;  // this host's id
    EXPECT_NE(reason.find("the library was not opened"), std::string::npos) << reason;
    EXPECT_EQ(s["fixture_throws_start"]["state"], "active");
    EXPECT_TRUE(std::filesystem::exists(opened / "fixture_throws_start"));
    EXPECT_FALSE(std::filesystem::exists(opened / "fixture_stale_build"));
    std::filesystem::remove_all(opened);
}

TEST(Loader, TheInstalledManifestCarriesTheLibrarysBuildId) {
    // The source manifest has no build id; tessera_add_plugin() stamps the one the library
    // was compiled with, so every plugin the host loads passed the check before dlopen.
    const auto source = Json::parse(std::ifstream(TestHost::sourceDir() + "/plugins/contacts/plugin.json"));
    const auto installed = Json::parse(std::ifstream(TestHost::buildPluginDir() + "/contacts/plugin.json"));
    EXPECT_FALSE(source.contains("build_id"));
    ASSERT_TRUE(installed.contains("build_id")) << installed.dump();
    EXPECT_NE(installed["build_id"].get<std::string>().find(";sdk" TESSERA_SDK_VERSION_STRING ";abi"), std::string::npos);
    TestHost host;
    EXPECT_EQ(pluginStates(host)["contacts"]["state"], "active");
}
