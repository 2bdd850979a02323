// Notes, activities and the timeline; Idempotency-Key; CSV import and export.

#include "contacts_fixture.hpp"

namespace tessera::plugins::contacts::test {
namespace {

class ContactsExtras : public ContactsTest {};

TEST_F(ContactsExtras, TimelineMergesNotesAndActivitiesNewestFirst) {
    auto c = createContact({{"name", "Timeline Tess"}});
    const std::string base = "/api/v1/contacts/" + c["id"].get<std::string>();
    ASSERT_EQ(call("POST", base + "/notes", {{"body", "first note"}, {"occurred_at", "2024-01-01T10:00:00Z"}}).status, 201);
    auto task = call("POST", base + "/activities",
                     {{"kind", "task"}, {"title", "Send proposal"}, {"due_at", "2024-02-01T09:00:00Z"},
                      {"occurred_at", "2024-01-03T10:00:00Z"}});
    ASSERT_EQ(task.status, 201) << task.body;
    EXPECT_EQ(task.json()["done"], false);
    ASSERT_EQ(call("POST", base + "/activities", {{"kind", "call"}, {"title", "Intro call"}, {"occurred_at", "2024-01-02T10:00:00Z"}}).status, 201);

    auto bad = call("POST", base + "/activities", {{"kind", "party"}, {"done", "yes"}, {"extra", 1}});
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"].size(), 3u);
    EXPECT_EQ(call("POST", base + "/notes", {{"body", ""}}).status, 422);

    auto timeline = call("GET", base + "/timeline").json()["data"];
    ASSERT_EQ(timeline.size(), 3u);
    EXPECT_EQ(timeline[0]["title"], "Send proposal");
    EXPECT_EQ(timeline[1]["kind"], "call");
    EXPECT_EQ(timeline[2]["body"], "first note");
    EXPECT_EQ(call("GET", base + "/notes").json()["data"].size(), 1u);
    EXPECT_EQ(call("GET", base + "/activities").json()["data"].size(), 2u);
    auto page = call("GET", base + "/timeline?limit=2").json();
    ASSERT_TRUE(page["next_cursor"].is_string());
    auto rest = call("GET", base + "/timeline?limit=2&cursor=" + page["next_cursor"].get<std::string>()).json();
    ASSERT_EQ(rest["data"].size(), 1u);
    EXPECT_EQ(rest["data"][0]["kind"], "note");

    const std::string task_path = "/api/v1/activities/" + task.json()["id"].get<std::string>();
    auto done = call("PATCH", task_path, {{"done", true}}, {{"If-Match", "\"1\""}});
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()["done"], true);
    EXPECT_EQ(call("PATCH", task_path, {{"done", false}}, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(call("GET", "/api/v1/contacts/ct_nobody/timeline").status, 404);

    // Deleting the contact deletes its activities.
    EXPECT_EQ(call("DELETE", base).status, 204);
    EXPECT_EQ(call("GET", task_path).status, 404);
}

TEST_F(ContactsExtras, IdempotencyKeyReplaysTheFirstResponse) {
    const Json body = {{"name", "Idem Potent"}, {"email", "idem@extras.test"}};
    auto first = call("POST", "/api/v1/contacts", body, {{"Idempotency-Key", "create-idem-1"}});
    ASSERT_EQ(first.status, 201) << first.body;
    auto second = call("POST", "/api/v1/contacts", body, {{"Idempotency-Key", "create-idem-1"}});
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.json()["id"], first.json()["id"]);
    EXPECT_EQ(second.header("idempotent-replayed"), "true");
    auto listed = call("GET", "/api/v1/contacts?" + filter("email", "", "idem@extras.test")).json()["data"];
    EXPECT_EQ(listed.size(), 1u);

    auto reused = call("POST", "/api/v1/contacts", {{"name", "Different"}}, {{"Idempotency-Key", "create-idem-1"}});
    EXPECT_EQ(reused.status, 422);
    EXPECT_EQ(reused.json()["error"]["code"], "idempotency_key_reused");
    // Without a key, the same body is a duplicate.
    EXPECT_EQ(call("POST", "/api/v1/contacts", body).status, 409);
}

TEST_F(ContactsExtras, CsvImportIsAllOrNothingUnlessPartial) {
    const std::string csv =
        "name,email,tags,address.city\r\n"
        "Csv Ana,ana@csv.test,a;b,Lisboa\r\n"
        "\"Csv, Bob\",not-an-email,,\r\n"
        "Csv Cid,cid@csv.test,,Porto\r\n";
    auto strict = raw("POST", "/api/v1/contacts/import", csv, "text/csv");
    ASSERT_EQ(strict.status, 422) << strict.body;
    auto rows = strict.json()["error"]["rows"];
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["row"], 3);
    EXPECT_EQ(rows[0]["fields"]["email"], "must be a valid email address");
    EXPECT_EQ(call("GET", "/api/v1/contacts?q=csv").json()["data"].size(), 0u) << "nothing imported";

    auto partial = raw("POST", "/api/v1/contacts/import?mode=partial", csv, "text/csv");
    ASSERT_EQ(partial.status, 200) << partial.body;
    EXPECT_EQ(partial.json()["imported"], 2);
    EXPECT_EQ(partial.json()["failed"], 1);
    auto ana = call("GET", "/api/v1/contacts?" + filter("email", "", "ana@csv.test")).json()["data"][0];
    EXPECT_EQ(ana["tags"], Json::array({"a", "b"}));
    EXPECT_EQ(ana["address"]["city"], "Lisboa");

    auto unknown = raw("POST", "/api/v1/contacts/import", "name,shoe\r\nX,42\r\n", "text/csv");
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.json()["error"]["fields"]["shoe"], "unknown column");
    EXPECT_EQ(raw("POST", "/api/v1/contacts/import", "name\r\n\"unterminated\r\n", "text/csv").status, 400);
}

TEST_F(ContactsExtras, CsvExportHasEveryMatchingRowQuoted) {
    createContact({{"name", "Export, \"Quoted\""}, {"email", "q@export.test"}, {"tags", {"export"}}});
    createContact({{"name", "Export Plain"}, {"tags", {"export"}}});
    auto r = call("GET", "/api/v1/contacts/export?sort=name&" + filter("tags", "contains", "export"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type").rfind("text/csv", 0), 0u);
    EXPECT_EQ(r.body.rfind("id,name,email,", 0), 0u);
    EXPECT_NE(r.body.find("\"Export, \"\"Quoted\"\"\",q@export.test"), std::string::npos);
    EXPECT_NE(r.body.find("Export Plain"), std::string::npos);
    std::size_t lines = 0;
    for (char ch : r.body) lines += ch == '\n';
    EXPECT_EQ(lines, 3u);
}

}  // namespace
}  // namespace tessera::plugins::contacts::test
