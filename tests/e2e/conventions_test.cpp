// The conventions of docs/plugins.md ("Conventions"), checked on every folder under
// plugins/ (as Kong's spec walks every plugin) against the files and the live route table
// of `tessera routes --json`; and seen failing on a fixture that breaks each of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_util.hpp"

using namespace tessera::test;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every docs/*.md page, where each public route must be written down.
std::string allDocs() {
    std::string docs;
    for (const auto& entry : fs::directory_iterator(fs::path(TestHost::sourceDir()) / "docs"))
        if (entry.path().extension() == ".md") docs += readFile(entry.path());
    return docs;
}

Json liveRoutes(TestHost& host) {
    const auto r = host.cli({"routes", "--json"});
    auto routes = jsonOutput(r.out);
    EXPECT_TRUE(routes.is_array()) << r.out;
    return routes.is_array() ? routes : Json::array();
}

// What `dir`'s plugin does against the conventions, one sentence per broken rule.
std::vector<std::string> violations(const fs::path& dir, const Json& routes, const std::string& docs) {
    std::vector<std::string> out;
    const auto manifest = Json::parse(readFile(dir / "plugin.json"), nullptr, false);
    if (!manifest.is_object() || !manifest.contains("id") || !manifest["id"].is_string())
        return {"plugin.json has no id"};
    const std::string id = manifest["id"];
    const std::string folder = dir.filename().string();
    if (id != folder) out.push_back("manifest id '" + id + "' differs from its folder '" + folder + "'");

    const std::regex library(R"(tessera_add_plugin\((\w+))");
    std::smatch m;
    const std::string cmake = readFile(dir / "CMakeLists.txt");
    if (!std::regex_search(cmake, m, library) || m[1] != id)
        out.push_back("CMakeLists.txt does not build library '" + id + "' with tessera_add_plugin");

    // Migrations: NNNN_verb_object[.sqlite|.postgres].sql, numbered 1, 2, 3... without a
    // gap, and every table or index they create starts with the id.
    const std::regex name(R"(^(\d{4})_[a-z0-9_]+(\.(sqlite|postgres))?\.sql$)");
    const std::regex created(R"(CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+))",
                             std::regex::icase);
    std::set<int> numbers;
    std::vector<fs::path> files;
    if (fs::is_directory(dir / "migrations"))
        for (const auto& e : fs::directory_iterator(dir / "migrations")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const std::string base = file.filename().string();
        if (!std::regex_match(base, m, name)) {
            out.push_back("migration '" + base + "' is not named NNNN_verb_object[.sqlite|.postgres].sql");
            continue;
        }
        numbers.insert(std::stoi(m[1]));
        const std::string sql = readFile(file);
        for (std::sregex_iterator it(sql.begin(), sql.end(), created), end; it != end; ++it) {
            const std::string object = (*it)[1];
            if (object.rfind(id + "_", 0) != 0)
                out.push_back("migration '" + base + "' creates '" + object + "', which does not start with '" + id + "_'");
        }
    }
    int expected = 1;
    for (int n : numbers) {
        if (n != expected) out.push_back("migration " + std::to_string(expected) + " is missing before " + std::to_string(n));
        expected = n + 1;
    }

    if (!fs::is_directory(dir / "tests")) out.push_back("no tests/ folder");

    bool any_route = false;
    for (const auto& r : routes) {
        if (r["owner"] != id) continue;
        any_route = true;
        const std::string route = r["method"].get<std::string>() + " " + r["path"].get<std::string>();
        static const std::regex path_form(R"(^/api/v1(/([a-z][a-z0-9]*(-[a-z0-9]+)*|\{[a-z_]+\}|[a-z0-9-]+\.[a-z]+))+$)");
        if (!std::regex_match(r["path"].get<std::string>(), path_form))
            out.push_back("route " + route + " is not /api/v1/ then kebab-case segments (docs/api.md, Addressing)");
        if (r["public"].get<bool>()) {
            if (docs.find(r["path"].get<std::string>()) == std::string::npos)
                out.push_back("public route " + route + " is not in docs/");
        } else if (r["permission"].get<std::string>().rfind(id + ".", 0) != 0) {
            out.push_back("route " + route + " needs permission '" + r["permission"].get<std::string>() +
                          "', which does not start with '" + id + ".'");
        }
    }
    if (!any_route) out.push_back("no route of '" + id + "' in the live route table (is it loaded?)");
    return out;
}

TEST(Conventions, EveryPluginFollowsThem) {
    TestHost host;
    const Json routes = liveRoutes(host);
    const std::string docs = allDocs();
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(TestHost::sourceDir()) / "plugins")) {
        if (!entry.is_directory()) continue;
        ++checked;
        for (const auto& v : violations(entry.path(), routes, docs))
            ADD_FAILURE() << entry.path().filename().string() << ": " << v;
    }
    EXPECT_GE(checked, 3u);  // contacts, deals, billing at least
}

TEST(Conventions, ABadPluginIsToldEachRuleItBreaks) {
    TestHost host(fixtureDirs({"conventions_bad"}));
    auto found = violations(fs::path(TestHost::sourceDir()) / "tests/fixtures/conventions_bad", liveRoutes(host),
                            allDocs());
    std::vector<std::string> expected = {
        "manifest id 'fixture_sloppy' differs from its folder 'conventions_bad'",
        "migration '0001_create_things.sql' creates 'things', which does not start with 'fixture_sloppy_'",
        "migration '0003_create_notes.sql' creates 'notes_body_idx', which does not start with 'fixture_sloppy_'",
        "migration 2 is missing before 3",
        "no tests/ folder",
        "route GET /api/v1/things needs permission 'things.read', which does not start with 'fixture_sloppy.'",
        "route GET /api/v1/Things_Archive is not /api/v1/ then kebab-case segments (docs/api.md, Addressing)",
        "route GET /api/v1/Things_Archive needs permission 'things.read', which does not start with 'fixture_sloppy.'",
        "public route POST /api/v1/sloppy-hook is not in docs/",
    };
    std::sort(found.begin(), found.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(found, expected);
}

}  // namespace
