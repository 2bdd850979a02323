// Listing: cursor pagination, sort, filters with operators, search and custom fields.
// Each test uses its own tag so that it sees only its own rows on a shared host.

#include <set>

#include "contacts_fixture.hpp"

namespace tessera::plugins::contacts::test {
namespace {

class ContactsList : public ContactsTest {
protected:
    static std::vector<std::string> names(const HttpResult& r) {
        std::vector<std::string> out;
        EXPECT_EQ(r.status, 200) << r.body;
        const Json body = r.json();  // keep it alive: r.json()["data"] would dangle in a range-for
        for (const auto& c : body["data"]) out.push_back(c["name"].get<std::string>());
        return out;
    }
};

TEST_F(ContactsList, CursorPaginationVisitsEveryRowOnce) {
    for (int i = 0; i < 7; ++i) createContact({{"name", "Page " + std::to_string(i)}, {"tags", {"paging"}}});
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto r = call("GET", "/api/v1/contacts?limit=3&sort=name&" + filter("tags", "contains", "paging") +
                                 (cursor.empty() ? "" : "&cursor=" + enc(cursor)));
        ASSERT_EQ(r.status, 200) << r.body;
        auto j = r.json();
        EXPECT_LE(j["data"].size(), 3u);
        for (const auto& c : j["data"]) EXPECT_TRUE(seen.insert(c["id"].get<std::string>()).second);
        cursor = j["next_cursor"].is_null() ? "" : j["next_cursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(seen.size(), 7u);
    EXPECT_EQ(pages, 3);
}

TEST_F(ContactsList, SortAscendingAndDescending) {
    for (auto n : {"Carla", "Ana", "Bruno"}) createContact({{"name", n}, {"tags", {"sorting"}}});
    const std::string f = "&" + filter("tags", "contains", "sorting");
    EXPECT_EQ(names(call("GET", "/api/v1/contacts?sort=name" + f)), (std::vector<std::string>{"Ana", "Bruno", "Carla"}));
    EXPECT_EQ(names(call("GET", "/api/v1/contacts?sort=-name" + f)), (std::vector<std::string>{"Carla", "Bruno", "Ana"}));
    auto bad = call("GET", "/api/v1/contacts?sort=notes");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("notes"), std::string::npos);
}

TEST_F(ContactsList, FiltersWithOperators) {
    createContact({{"name", "Filter Ana"}, {"email", "ana@filter.test"}, {"phone", "111"}, {"tags", {"filtering"}}});
    createContact({{"name", "Filter Bob"}, {"email", "bob@filter.test"}, {"tags", {"filtering"}}});
    createContact({{"name", "Filter Cid"}, {"tags", {"filtering"}}});
    const std::string base = "/api/v1/contacts?sort=name&" + filter("tags", "contains", "filtering") + "&";
    EXPECT_EQ(names(call("GET", base + filter("email", "", "ANA@filter.test"))), (std::vector<std::string>{"Filter Ana"}));
    EXPECT_EQ(names(call("GET", base + filter("email", "is_null", "true"))), (std::vector<std::string>{"Filter Cid"}));
    EXPECT_EQ(names(call("GET", base + filter("name", "ne", "Filter Ana"))),
              (std::vector<std::string>{"Filter Bob", "Filter Cid"}));
    EXPECT_EQ(names(call("GET", base + filter("name", "in", "Filter Ana,Filter Cid"))),
              (std::vector<std::string>{"Filter Ana", "Filter Cid"}));
    EXPECT_EQ(names(call("GET", base + filter("name", "gt", "Filter B"))),
              (std::vector<std::string>{"Filter Bob", "Filter Cid"}));
    EXPECT_EQ(names(call("GET", base + filter("name", "lte", "Filter Bob"))),
              (std::vector<std::string>{"Filter Ana", "Filter Bob"}));
    EXPECT_EQ(names(call("GET", base + filter("name", "contains", "cid"))), (std::vector<std::string>{"Filter Cid"}));
    EXPECT_EQ(names(call("GET", base + filter("created_at", "gte", "2000-01-01"))).size(), 3u);
    EXPECT_EQ(names(call("GET", base + filter("created_at", "lt", "2000-01-01T00:00:00Z"))).size(), 0u);
    // Injection attempts are plain values.
    EXPECT_EQ(call("GET", base + filter("name", "", "x' OR '1'='1")).json()["data"].size(), 0u);
}

// Rare tags are looked up in a table (TagFiltersFollowEveryWriteForRareAndCommonTags);
// multi-select custom fields are always tested row by row, by the same code that tests
// the tags of common tags. Both must match whole values whatever characters they hold.
TEST_F(ContactsList, ArrayContainsMatchesWholeValuesWhateverTheyHold) {
    const std::vector<std::string> values{"a/b", "say \"hi\"", "back\\slash", "ünï", "a/bc", "tagfilterx", "tagfilter"};
    ASSERT_EQ(call("POST", "/api/v1/contacts/custom-fields",
                   {{"key", "marks"}, {"label", "Marks"}, {"type", "multi_select"}, {"options", values}})
                  .status,
              201);
    const auto both = [](std::vector<std::string> v) { return Json{{"tags", v}, {"custom_fields", {{"marks", v}}}}; };
    Json slash = both({"a/b", "say \"hi\"", "back\\slash", "ünï"}), near = both({"a/bc", "tagfilterx"}),
         plain = both({"tagfilter"});
    slash["name"] = "Tag Slash", near["name"] = "Tag Near", plain["name"] = "Tag Plain";
    for (const auto& c : {slash, near, plain}) createContact(c);
    for (const std::string field : {"tags", "custom_fields.marks"}) {
        const auto tagged = [&](const std::string& value) {
            return names(call("GET", "/api/v1/contacts?sort=name&" + filter(field, "contains", value)));
        };
        SCOPED_TRACE(field);
        EXPECT_EQ(tagged("a/b"), (std::vector<std::string>{"Tag Slash"}));
        EXPECT_EQ(tagged("say \"hi\""), (std::vector<std::string>{"Tag Slash"}));
        EXPECT_EQ(tagged("back\\slash"), (std::vector<std::string>{"Tag Slash"}));
        EXPECT_EQ(tagged("ünï"), (std::vector<std::string>{"Tag Slash"}));
        EXPECT_EQ(tagged("tagfilter"), (std::vector<std::string>{"Tag Plain"})) << "a whole value, not a substring";
        EXPECT_TRUE(tagged("tagfilt").empty());
    }
    EXPECT_EQ(call("DELETE", "/api/v1/contacts/custom-fields/marks").status, 204);  // other tests count definitions
}

// A rare tag is looked up in contacts_contact_tags, which triggers keep in step with
// every write; a common one (on more than 7·√N of N contacts: the 1,100 here, with
// fewer than 24,000 contacts in the test tenant) is tested row by row along the sort
// order (tag_filter.cpp). Both must answer exactly the contacts carrying the tag.
TEST_F(ContactsList, TagFiltersFollowEveryWriteForRareAndCommonTags) {
    const auto tagged = [&](const std::string& tag) {
        return names(call("GET", "/api/v1/contacts?sort=name&" + filter("tags", "contains", tag)));
    };
    const Json a = createContact({{"name", "Sync A"}, {"tags", {"sync-old", "sync-both"}}});
    const Json b = createContact({{"name", "Sync B"}, {"tags", {"sync-both"}}});
    EXPECT_EQ(tagged("sync-both"), (std::vector<std::string>{"Sync A", "Sync B"}));
    EXPECT_EQ(tagged("sync-old"), (std::vector<std::string>{"Sync A"}));

    const std::string path_a = "/api/v1/contacts/" + a["id"].get<std::string>();
    ASSERT_EQ(call("PATCH", path_a, {{"tags", {"sync-new", "sync-both"}}}).status, 200);
    EXPECT_TRUE(tagged("sync-old").empty());
    EXPECT_EQ(tagged("sync-new"), (std::vector<std::string>{"Sync A"}));
    ASSERT_EQ(call("PATCH", path_a, {{"name", "Sync A2"}}).status, 200);
    EXPECT_EQ(tagged("sync-new"), (std::vector<std::string>{"Sync A2"})) << "a write leaving tags alone keeps them";
    ASSERT_EQ(call("DELETE", "/api/v1/contacts/" + b["id"].get<std::string>()).status, 204);
    EXPECT_EQ(tagged("sync-both"), (std::vector<std::string>{"Sync A2"}));
    ASSERT_EQ(call("PATCH", path_a, {{"tags", nullptr}}).status, 200);
    EXPECT_TRUE(tagged("sync-both").empty());
    EXPECT_TRUE(tagged("sync-new").empty());

    // 1,100 imported contacts share "sync-common"; every 400th also has "sync-rare".
    constexpr int kCommon = 1100;
    std::string csv = "name,tags\r\n";
    std::vector<std::string> common, rare;
    for (int i = 0; i < kCommon; ++i) {
        common.push_back("Sync common " + std::to_string(10000 + i));
        csv += common.back() + (i % 400 ? ",sync-common\r\n" : ",sync-common;sync-rare\r\n");
        if (i % 400 == 0) rare.push_back(common.back());
    }
    auto imported = raw("POST", "/api/v1/contacts/import", csv, "text/csv");
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(tagged("sync-rare"), rare);

    std::vector<std::string> seen;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
        auto r = call("GET", "/api/v1/contacts?limit=200&sort=name&" + filter("tags", "contains", "sync-common") +
                                 (cursor.empty() ? "" : "&cursor=" + enc(cursor)));
        for (const auto& name : names(r)) seen.push_back(name);
        const Json body = r.json();
        if (body["next_cursor"].is_null()) break;
        cursor = body["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen, common);
}

TEST_F(ContactsList, UnknownFieldOrOperatorIs400NamingIt) {
    auto f = call("GET", "/api/v1/contacts?" + filter("shoe_size", "", "42"));
    ASSERT_EQ(f.status, 400);
    EXPECT_EQ(f.json()["error"]["code"], "invalid_query");
    EXPECT_NE(f.body.find("shoe_size"), std::string::npos);
    auto op = call("GET", "/api/v1/contacts?" + filter("name", "like", "x"));
    ASSERT_EQ(op.status, 400);
    EXPECT_NE(op.body.find("like"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/v1/contacts?limit=201").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/contacts?limit=0").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/contacts?cursor=garbage!").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/contacts?unknown=1").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/contacts?" + filter("created_at", "gt", "yesterday")).status, 400);
}

TEST_F(ContactsList, SearchIsAccentAndCaseInsensitive) {
    auto co = createCompany({{"name", "Pão de Açúcar"}});
    createContact({{"name", "João Gonçalves"}, {"email", "jg@search.test"}, {"phone", "+55 (11) 4444-1234"}});
    createContact({{"name", "Zoë Müller"}, {"company_id", co["id"]}});
    auto q = [&](const std::string& text) { return names(call("GET", "/api/v1/contacts?q=" + enc(text))); };
    EXPECT_EQ(q("joao"), (std::vector<std::string>{"João Gonçalves"}));
    EXPECT_EQ(q("GONÇALVES"), (std::vector<std::string>{"João Gonçalves"}));
    EXPECT_EQ(q("jg@search"), (std::vector<std::string>{"João Gonçalves"}));
    EXPECT_EQ(q("44441234"), (std::vector<std::string>{"João Gonçalves"}));
    EXPECT_EQ(q("zoe muller"), (std::vector<std::string>{"Zoë Müller"}));
    EXPECT_EQ(q("pao de acucar"), (std::vector<std::string>{"Zoë Müller"}));
    EXPECT_TRUE(q("100%_nothing").empty());
}

TEST_F(ContactsList, AListedContactIsExactlyWhatItsOwnUrlAnswers) {
    // Lists are written without building a JSON document per row; they must say the same.
    // (Custom field values: CustomFieldsAreValidatedFilterableAndSortable.)
    auto co = createCompany({{"name", "Listwise Ltd"}});
    std::vector<std::string> ids;
    ids.push_back(id(createContact({{"name", "Listwise \"Quoted\" \\ back\tslash\n☃ 𝄞 João"},
                                    {"email", "listwise.one@example.com"},
                                    {"phone", "+1 555 0100"},
                                    {"company_id", co["id"]},
                                    {"tags", {"vip", "ünïcode", "<b>x</b>"}},
                                    {"address", {{"city", "Łódź"}, {"line1", "Rua \"A\""}, {"postal_code", "90-001"}}},
                                    {"tax_id", "PT 123"},
                                    {"notes", "line one\nline two\u0001 '; DROP TABLE contacts;--"}})));
    ids.push_back(id(createContact({{"name", "Listwise Plain"}})));
    const auto listed = call("GET", "/api/v1/contacts?limit=200&q=listwise");
    ASSERT_EQ(listed.status, 200) << listed.body;
    const Json data = listed.json()["data"];
    ASSERT_EQ(data.size(), ids.size()) << listed.body;
    for (const auto& item : data) {
        const auto one = call("GET", "/api/v1/contacts/" + id(item));
        ASSERT_EQ(one.status, 200) << one.body;
        EXPECT_EQ(item, one.json());
    }
}

TEST_F(ContactsList, CustomFieldsAreValidatedFilterableAndSortable) {
    auto def = call("POST", "/api/v1/contacts/custom-fields",
                    {{"key", "tier"}, {"label", "Tier"}, {"type", "select"}, {"options", {"gold", "silver"}}});
    ASSERT_EQ(def.status, 201) << def.body;
    ASSERT_EQ(call("POST", "/api/v1/contacts/custom-fields", {{"key", "score"}, {"label", "Score"}, {"type", "number"}}).status, 201);
    ASSERT_EQ(call("POST", "/api/v1/contacts/custom-fields", {{"key", "active"}, {"label", "Active"}, {"type", "boolean"}}).status, 201);
    ASSERT_EQ(call("POST", "/api/v1/contacts/custom-fields",
                   {{"key", "langs"}, {"label", "Languages"}, {"type", "multi_select"}, {"options", {"pt", "en", "es"}}})
                  .status,
              201);
    EXPECT_EQ(call("POST", "/api/v1/contacts/custom-fields", {{"key", "Bad Key"}, {"label", "x"}, {"type", "color"}}).status, 422);
    EXPECT_EQ(call("GET", "/api/v1/contacts/custom-fields").json()["data"].size(), 4u);

    auto bad = call("POST", "/api/v1/contacts",
                    {{"name", "Bad"}, {"custom_fields", {{"tier", "bronze"}, {"score", "ten"}, {"langs", {"fr"}}}}});
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"].size(), 3u);

    createContact({{"name", "CF One"}, {"custom_fields", {{"tier", "gold"}, {"score", 10}, {"active", true}, {"langs", {"pt", "en"}}}}});
    createContact({{"name", "CF Two"}, {"custom_fields", {{"tier", "silver"}, {"score", 2.5}, {"active", false}, {"langs", {"es"}}}}});
    createContact({{"name", "CF Three"}, {"custom_fields", {{"tier", "gold"}, {"score", 7}}}});
    const std::string base = "/api/v1/contacts?";
    EXPECT_EQ(names(call("GET", base + filter("custom_fields.tier", "", "gold") + "&sort=-custom_fields.score")),
              (std::vector<std::string>{"CF One", "CF Three"}));
    EXPECT_EQ(names(call("GET", base + filter("custom_fields.score", "gt", "5") + "&sort=custom_fields.score")),
              (std::vector<std::string>{"CF Three", "CF One"}));
    EXPECT_EQ(names(call("GET", base + filter("custom_fields.active", "", "false"))), (std::vector<std::string>{"CF Two"}));
    EXPECT_EQ(names(call("GET", base + filter("custom_fields.langs", "contains", "en"))), (std::vector<std::string>{"CF One"}));
    // Sorting by a number pages correctly (numeric, not text, comparison in the cursor).
    auto p1 = call("GET", base + filter("custom_fields.score", "is_null", "false") + "&sort=custom_fields.score&limit=1");
    auto p2 = call("GET", base + filter("custom_fields.score", "is_null", "false") +
                              "&sort=custom_fields.score&limit=1&cursor=" + enc(p1.json()["next_cursor"].get<std::string>()));
    EXPECT_EQ(names(p1), (std::vector<std::string>{"CF Two"}));
    EXPECT_EQ(names(p2), (std::vector<std::string>{"CF Three"}));
    // A listed contact's custom fields are what its own URL answers.
    for (const auto& item : Json(call("GET", base + filter("custom_fields.score", "is_null", "false")).json()["data"]))
        EXPECT_EQ(item, call("GET", "/api/v1/contacts/" + id(item)).json());

    // Removing a definition removes its values; filtering on it is then refused.
    EXPECT_EQ(call("DELETE", "/api/v1/contacts/custom-fields/tier").status, 204);
    EXPECT_EQ(call("GET", base + filter("custom_fields.tier", "", "gold")).status, 400);
    auto one = call("GET", base + filter("name", "", "CF One")).json()["data"][0];
    EXPECT_FALSE(one["custom_fields"].contains("tier"));
    EXPECT_EQ(one["custom_fields"]["score"], 10);
}

}  // namespace
}  // namespace tessera::plugins::contacts::test
