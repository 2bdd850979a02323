// `tessera contacts import`: the CSV import from the command line, on a file larger
// than the HTTP body limit, with the same all-or-nothing rules as the API; and
// `tessera contacts refresh-search`, which rewrites search keys an older release made.
#include <fstream>

#include "contacts_fixture.hpp"

namespace tessera::plugins::contacts::test {

class ContactsCli : public ContactsTest {
protected:
    static std::string writeFile(const std::string& name, const std::string& text) {
        const std::string path = host_->dataDir() + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
};

TEST_F(ContactsCli, ImportsAFileLargerThanTheBodyLimit) {
    std::string csv = "name,email,phone\n";
    for (int i = 0; i < 20000; ++i)
        csv += "Imported Person " + std::to_string(i) + ",cli" + std::to_string(i) + "@import.test,+55 11 5555-" +
               std::to_string(1000 + i % 9000) + "\n";
    ASSERT_GT(csv.size(), 1024u * 1024u);
    auto r = host_->cli({"contacts", "import", writeFile("big.csv", csv), "--tenant", "acme"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("imported 20000 of 20000 rows into contacts"), std::string::npos) << r.out;
    auto found = call("GET", "/api/v1/contacts?filter[email]=cli19999%40import.test");
    ASSERT_EQ(found.status, 200) << found.body;
    ASSERT_EQ(found.json()["data"].size(), 1u) << found.body;
    EXPECT_EQ(found.json()["data"][0]["name"], "Imported Person 19999");
}

TEST_F(ContactsCli, ABadRowImportsNothingUnlessPartial) {
    const std::string csv = "name,email\nGood One,good1@cli.test\nBad One,not-an-email\nGood Two,good2@cli.test\n";
    const auto file = writeFile("mixed.csv", csv);
    auto all = host_->cli({"contacts", "import", file, "--tenant", "acme"});
    EXPECT_EQ(all.exit_code, 1);
    EXPECT_NE(all.out.find("row 3"), std::string::npos) << all.out;
    EXPECT_NE(all.out.find("1 of 3 rows are not valid; nothing was imported"), std::string::npos) << all.out;
    EXPECT_EQ(call("GET", "/api/v1/contacts?filter[email]=good1%40cli.test").json()["data"].size(), 0u);

    auto partial = host_->cli({"contacts", "import", file, "--tenant", "acme", "--mode", "partial"});
    EXPECT_EQ(partial.exit_code, 0) << partial.out;
    EXPECT_NE(partial.out.find("imported 2 of 3 rows into contacts (1 rows skipped)"), std::string::npos) << partial.out;
    EXPECT_EQ(call("GET", "/api/v1/contacts?filter[email]=good2%40cli.test").json()["data"].size(), 1u);
}

TEST_F(ContactsCli, UsageErrorsNameWhatIsWrong) {
    auto no_tenant = host_->cli({"contacts", "import", "x.csv"});
    EXPECT_EQ(no_tenant.exit_code, 2);
    EXPECT_NE(no_tenant.out.find("needs --tenant SLUG"), std::string::npos) << no_tenant.out;
    auto missing = host_->cli({"contacts", "import", "/nonexistent/file.csv", "--tenant", "acme"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.out.find("cannot read /nonexistent/file.csv"), std::string::npos) << missing.out;
    auto unknown = host_->cli({"contacts", "frobnicate", "--tenant", "acme"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.out.find("tessera contacts import"), std::string::npos) << unknown.out;
    auto ghost = host_->cli({"contacts", "import", "x.csv", "--tenant", "ghost"});
    EXPECT_EQ(ghost.exit_code, 1);
    EXPECT_NE(ghost.out.find("no active tenant 'ghost'"), std::string::npos) << ghost.out;
    auto bad_mode = host_->cli({"contacts", "import", "x.csv", "--tenant", "acme", "--mode", "some"});
    EXPECT_EQ(bad_mode.exit_code, 1);
    EXPECT_NE(bad_mode.out.find("--mode must be all or partial"), std::string::npos) << bad_mode.out;
}

TEST_F(ContactsCli, RefreshSearchRewritesKeysAnOlderFoldingMade) {
    auto names = [](const std::string& q) {
        auto r = call("GET", "/api/v1/contacts?q=" + enc(q));
        EXPECT_EQ(r.status, 200) << r.body;
        const Json body = r.json();
        std::vector<std::string> out;
        for (const auto& c : body["data"]) out.push_back(c["name"]);
        return out;
    };
    auto contact = created("/api/v1/contacts", {{"name", "Ωμέγα Refreshable"}});
    auto company = created("/api/v1/companies", {{"name", "Ζήτα Refreshworks"}});
    ASSERT_EQ(names("omega refresh"), std::vector<std::string>{"Ωμέγα Refreshable"});
    // As rows written before ICU: the old folding kept Greek as it was.
    host_->tenantSql("acme", "UPDATE contacts_contacts SET search_text = 'Ωμέγα refreshable | ', search_key_version = 1"
                             " WHERE id = '" + contact["id"].get<std::string>() + "'");
    host_->tenantSql("acme", "UPDATE contacts_companies SET search_text = 'Ζήτα refreshworks | ', search_key_version = 1"
                             " WHERE id = '" + company["id"].get<std::string>() + "'");
    EXPECT_TRUE(names("omega refresh").empty());
    EXPECT_TRUE(call("GET", "/api/v1/companies?q=" + enc("zeta refresh")).json()["data"].empty());

    auto r = host_->cli({"contacts", "refresh-search", "--tenant", "acme"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("refreshed the search keys of 1 contacts and 1 companies"), std::string::npos) << r.out;
    EXPECT_EQ(names("omega refresh"), std::vector<std::string>{"Ωμέγα Refreshable"});
    EXPECT_EQ(call("GET", "/api/v1/companies?q=" + enc("zeta refresh")).json()["data"].size(), 1u);
    const auto after = call("GET", "/api/v1/contacts/" + contact["id"].get<std::string>()).json();
    EXPECT_EQ(after["version"], contact["version"]) << "a key refresh is not a change of the record";

    auto again = host_->cli({"contacts", "refresh-search", "--tenant", "acme"});
    EXPECT_NE(again.out.find("of 0 contacts and 0 companies"), std::string::npos) << again.out;
    auto bad = host_->cli({"contacts", "refresh-search", "extra", "--tenant", "acme"});
    EXPECT_EQ(bad.exit_code, 1) << bad.out;
    EXPECT_NE(bad.out.find("refresh-search takes no arguments besides --tenant"), std::string::npos) << bad.out;
}

}  // namespace tessera::plugins::contacts::test
