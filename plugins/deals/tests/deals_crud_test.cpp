// Create, read, update and delete of deals through the HTTP API, with the conventions of
// docs/api.md: validation, unknown and read-only fields, ETag/If-Match, idempotency,
// lists, custom fields, notes, and the contact/company links checked through the
// contacts service.

#include <thread>
#include <vector>

#include "deals_fixture.hpp"

namespace tessera::plugins::deals::test {
namespace {

class DealsCrud : public DealsTest {
protected:
    static void SetUpTestSuite() {
        DealsTest::SetUpTestSuite();
        pipeline_ = new Json(createPipeline("Sales", {{"Lead", 10}, {"Won-ready", 90}}));
    }
    static void TearDownTestSuite() {
        delete pipeline_;
        DealsTest::TearDownTestSuite();
    }
    static inline Json* pipeline_ = nullptr;
};

TEST_F(DealsCrud, CreateReturns201WithDefaultsEtagAndLocation) {
    auto r = call("POST", "/api/v1/deals",
                  {{"title", "Acme renewal"}, {"amount", 120000}, {"currency", "EUR"},
                   {"expected_close_date", "2031-03-31"}, {"pipeline_id", id(*pipeline_)}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto d = r.json();
    EXPECT_EQ(d["title"], "Acme renewal");
    EXPECT_EQ(d["amount"], 120000);
    EXPECT_EQ(d["currency"], "EUR");
    EXPECT_EQ(d["status"], "open");
    EXPECT_EQ(d["stage_id"], stageId(*pipeline_, 0)) << "a deal without a stage starts in the first one";
    EXPECT_EQ(d["pipeline_id"], id(*pipeline_));
    EXPECT_EQ(d["expected_close_date"], "2031-03-31");
    EXPECT_TRUE(d["contact_id"].is_null());
    EXPECT_TRUE(d["lost_reason_id"].is_null());
    EXPECT_TRUE(d["closed_at"].is_null());
    EXPECT_EQ(d["rotten"], false);
    EXPECT_EQ(d["custom_fields"], Json::object());
    EXPECT_EQ(d["version"], 1);
    EXPECT_EQ(id(d).rfind("dl_", 0), 0u);
    EXPECT_EQ(d["created_at"].get<std::string>().back(), 'Z');
    EXPECT_EQ(r.header("etag"), "\"1\"");
    EXPECT_EQ(r.header("location"), "/api/v1/deals/" + id(d));

    auto g = call("GET", "/api/v1/deals/" + id(d));
    EXPECT_EQ(g.status, 200);
    EXPECT_EQ(g.json(), d);
    EXPECT_EQ(call("GET", "/api/v1/deals/" + id(d), nullptr, {{"If-None-Match", "\"1\""}}).status, 304);
}

TEST_F(DealsCrud, ValidationReportsEveryProblemAtOnce) {
    auto r = call("POST", "/api/v1/deals",
                  {{"amount", -5}, {"currency", "eur"}, {"expected_close_date", "2024-02-30"}, {"status", "maybe"},
                   {"nickname", "x"}, {"version", 3}, {"rotten", true}, {"stage_id", "stg_missing"}});
    ASSERT_EQ(r.status, 422) << r.body;
    auto f = r.json()["error"]["fields"];
    EXPECT_EQ(r.json()["error"]["code"], "validation_failed");
    EXPECT_EQ(f["title"], "is required");
    EXPECT_EQ(f["amount"], "must be an integer amount in minor units from 0 to 10^15");
    EXPECT_EQ(f["currency"], "must be an ISO 4217 currency code such as \"BRL\"");
    EXPECT_EQ(f["expected_close_date"], "must be a date (YYYY-MM-DD)");
    EXPECT_EQ(f["status"], "must be one of open, won, lost");
    EXPECT_EQ(f["nickname"], "unknown field");
    EXPECT_EQ(f["version"], "is read-only");
    EXPECT_EQ(f["rotten"], "is read-only");
    EXPECT_EQ(f["stage_id"], "no such stage");
    EXPECT_TRUE(r.json()["request_id"].is_string());

    auto money = call("POST", "/api/v1/deals", {{"title", "x"}, {"currency", "XAU"}, {"amount", 1.5}});
    ASSERT_EQ(money.status, 422);
    EXPECT_TRUE(money.json()["error"]["fields"].contains("currency")) << "precious metals are not deal currencies";
    EXPECT_TRUE(money.json()["error"]["fields"].contains("amount")) << "amounts are integers in minor units";
    auto big = call("POST", "/api/v1/deals", {{"title", std::string(201, 'x')}, {"currency", "BRL"}});
    EXPECT_EQ(big.json()["error"]["fields"]["title"], "must be at most 200 characters");
}

TEST_F(DealsCrud, BadInputGetsClean4xx) {
    auto raw = [](const std::string& body) {
        return tessera::test::httpRequest(host_->port(), "POST", "/api/v1/deals",
                                          {{"X-Tenant", "acme"}, {"Content-Type", "application/json"}}, body);
    };
    // Without credentials the answer is 400 (bad body) or 401 (once authentication is
    // on); either way a clean 4xx, never a 500.
    for (const std::string body : {"{\"title\": ", "[1,2]", "{\"title\":\"bad \xC3\x28\"}"}) {
        auto r = raw(body);
        EXPECT_GE(r.status, 400) << body;
        EXPECT_LT(r.status, 500) << body;
    }
    EXPECT_EQ(call("GET", "/api/v1/deals/dl_doesnotexist").json()["error"]["code"], "deal_not_found");
    EXPECT_EQ(call("GET", "/api/v1/deals/" + std::string(300, 'x')).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/deals?bogus=1").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals?limit=0").json()["error"]["fields"].contains("limit"), true);
    EXPECT_EQ(call("GET", "/api/v1/deals?sort=-contact_id").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals?cursor=%%%").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals?" + enc("filter[amount][gt]") + "=abc").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/deals?" + enc("filter[nope]") + "=1").status, 400);
    const std::string injection = "x'); DROP TABLE deals_deals;--";
    auto d = createDeal({{"title", injection}, {"currency", "USD"}});
    EXPECT_EQ(call("GET", "/api/v1/deals/" + id(d)).json()["title"], injection);
    EXPECT_EQ(call("GET", "/api/v1/deals?q=" + enc("drop table")).json()["data"].size(), 1u);
}

TEST_F(DealsCrud, PatchChangesOnlyGivenFieldsAndHonoursIfMatch) {
    auto d = createDeal({{"title", "Patch me"}, {"currency", "USD"}, {"amount", 500}, {"owner_id", "rep_9"}});
    const std::string path = "/api/v1/deals/" + id(d);
    auto p = call("PATCH", path, {{"amount", 750}, {"expected_close_date", "2030-01-01"}}, {{"If-Match", "\"1\""}});
    ASSERT_EQ(p.status, 200) << p.body;
    EXPECT_EQ(p.json()["amount"], 750);
    EXPECT_EQ(p.json()["title"], "Patch me");
    EXPECT_EQ(p.json()["owner_id"], "rep_9");
    EXPECT_EQ(p.header("etag"), "\"2\"");
    auto same = call("PATCH", path, {{"amount", 750}});
    EXPECT_EQ(same.json()["version"], 2) << "a PATCH that changes nothing makes no new version";

    EXPECT_EQ(call("PATCH", path, {{"title", "Old"}}, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(call("GET", path).json()["title"], "Patch me");
    auto cleared = expect(200, "PATCH", path, {{"expected_close_date", nullptr}, {"owner_id", nullptr}});
    EXPECT_TRUE(cleared["expected_close_date"].is_null());
    EXPECT_TRUE(cleared["owner_id"].is_null());
    EXPECT_EQ(call("PATCH", path, {{"id", "dl_mine"}}).status, 422);
    EXPECT_EQ(call("PATCH", path, {{"title", nullptr}}).status, 422);

    EXPECT_EQ(call("DELETE", path, nullptr, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(call("DELETE", path).status, 204);
    EXPECT_EQ(call("GET", path).status, 404);
    EXPECT_EQ(call("GET", path + "/history").status, 404);
}

TEST_F(DealsCrud, ContactAndCompanyLinksAreCheckedThroughTheContactsService) {
    auto company = expect(201, "POST", "/api/v1/companies", {{"name", "Initech"}});
    auto contact = expect(201, "POST", "/api/v1/contacts", {{"name", "Peter Gibbons"}, {"company_id", id(company)}});

    auto missing = call("POST", "/api/v1/deals",
                        {{"title", "Ghost"}, {"currency", "EUR"}, {"contact_id", "ct_nobody"}, {"company_id", "co_none"}});
    ASSERT_EQ(missing.status, 422) << missing.body;
    EXPECT_EQ(missing.json()["error"]["fields"]["contact_id"], "no such contact");
    EXPECT_EQ(missing.json()["error"]["fields"]["company_id"], "no such company");
    // A contact id is not a company id.
    auto swapped = call("POST", "/api/v1/deals", {{"title", "Swap"}, {"currency", "EUR"}, {"company_id", id(contact)}});
    EXPECT_EQ(swapped.json()["error"]["fields"]["company_id"], "no such company");

    auto d = createDeal({{"title", "TPS reports"}, {"currency", "EUR"}, {"contact_id", id(contact)}, {"company_id", id(company)}});
    EXPECT_EQ(d["contact_id"], id(contact));
    EXPECT_EQ(d["company_id"], id(company));
    auto bad_patch = call("PATCH", "/api/v1/deals/" + id(d), {{"contact_id", "ct_gone"}});
    EXPECT_EQ(bad_patch.status, 422);
    auto by_contact = call("GET", "/api/v1/deals?" + enc("filter[contact_id]") + "=" + id(contact)).json()["data"];
    ASSERT_EQ(by_contact.size(), 1u);
    EXPECT_EQ(by_contact[0]["id"], d["id"]);

    // Deleting the contact unlinks the deal (the deals plugin subscribes to contact.deleted).
    ASSERT_EQ(call("DELETE", "/api/v1/contacts/" + id(contact)).status, 204);
    Json after;
    for (int i = 0; i < 100; ++i) {
        after = call("GET", "/api/v1/deals/" + id(d)).json();
        if (after["contact_id"].is_null()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(after["contact_id"].is_null()) << after.dump();
    EXPECT_EQ(after["company_id"], id(company));
    EXPECT_EQ(after["version"], 2);
}

TEST_F(DealsCrud, ListFiltersSortsAndPaginates) {
    auto p = createPipeline("Listing", {{"Only", 50}});
    for (int i = 1; i <= 5; ++i)
        createDeal({{"title", "List " + std::to_string(i)}, {"currency", i % 2 ? "EUR" : "USD"}, {"amount", i * 100},
                    {"pipeline_id", id(p)}});
    const std::string base = "/api/v1/deals?" + enc("filter[pipeline_id]") + "=" + id(p);
    auto eur = call("GET", base + "&" + enc("filter[currency]") + "=EUR&sort=-amount").json()["data"];
    ASSERT_EQ(eur.size(), 3u);
    EXPECT_EQ(eur[0]["amount"], 500);
    EXPECT_EQ(eur[2]["amount"], 100);
    auto gte = call("GET", base + "&" + enc("filter[amount][gte]") + "=300").json()["data"];
    EXPECT_EQ(gte.size(), 3u);
    auto in = call("GET", base + "&" + enc("filter[amount][in]") + "=100,400").json()["data"];
    EXPECT_EQ(in.size(), 2u);

    std::vector<std::string> seen;
    std::string cursor;
    for (int page = 0; page < 5; ++page) {
        auto r = call("GET", base + "&sort=amount&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
        for (const auto& d : r["data"]) seen.push_back(d["title"].get<std::string>());
        if (r["next_cursor"].is_null()) break;
        cursor = r["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"List 1", "List 2", "List 3", "List 4", "List 5"}));
    ASSERT_FALSE(cursor.empty());
    EXPECT_EQ(call("GET", base + "&sort=-amount&cursor=" + cursor).status, 400);
}

TEST_F(DealsCrud, IdempotencyKeyReplaysTheFirstCreate) {
    const Json body = {{"title", "Idempotent"}, {"currency", "EUR"}, {"amount", 1}};
    auto first = call("POST", "/api/v1/deals", body, {{"Idempotency-Key", "deal-idem-1"}});
    ASSERT_EQ(first.status, 201) << first.body;
    auto second = call("POST", "/api/v1/deals", body, {{"Idempotency-Key", "deal-idem-1"}});
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.json()["id"], first.json()["id"]);
    EXPECT_EQ(second.header("idempotent-replayed"), "true");
    auto reused = call("POST", "/api/v1/deals", {{"title", "Other"}, {"currency", "EUR"}}, {{"Idempotency-Key", "deal-idem-1"}});
    EXPECT_EQ(reused.status, 422);
    EXPECT_EQ(reused.json()["error"]["code"], "idempotency_key_reused");
    // The tenant's keys are one set whichever plugin's route took them.
    auto elsewhere = call("POST", "/api/v1/contacts", {{"name", "Not a deal"}}, {{"Idempotency-Key", "deal-idem-1"}});
    EXPECT_EQ(elsewhere.status, 422) << elsewhere.body;
    EXPECT_EQ(elsewhere.json()["error"]["code"], "idempotency_key_reused");
    EXPECT_EQ(call("GET", "/api/v1/contacts?q=Not%20a%20deal").json()["data"].size(), 0u);
}

TEST_F(DealsCrud, CustomFieldsAreValidatedAndStored) {
    ASSERT_EQ(call("POST", "/api/v1/deals/custom-fields",
                   {{"key", "source"}, {"label", "Source"}, {"type", "select"}, {"options", {"web", "referral"}}})
                  .status,
              201);
    ASSERT_EQ(call("POST", "/api/v1/deals/custom-fields", {{"key", "seats"}, {"label", "Seats"}, {"type", "number"}}).status, 201);
    EXPECT_EQ(call("POST", "/api/v1/deals/custom-fields", {{"key", "seats"}, {"label", "Again"}, {"type", "number"}}).status, 409);
    auto bad = call("POST", "/api/v1/deals",
                    {{"title", "CF"}, {"currency", "EUR"}, {"custom_fields", {{"source", "tv"}, {"seats", "ten"}, {"nope", 1}}}});
    ASSERT_EQ(bad.status, 422);
    auto f = bad.json()["error"]["fields"];
    EXPECT_EQ(f["custom_fields.source"], "must be one of the field's options");
    EXPECT_EQ(f["custom_fields.seats"], "must be a number");
    EXPECT_EQ(f["custom_fields.nope"], "unknown custom field");
    auto d = createDeal({{"title", "CF"}, {"currency", "EUR"}, {"custom_fields", {{"source", "web"}, {"seats", 10}}}});
    EXPECT_EQ(d["custom_fields"]["source"], "web");
    auto p = expect(200, "PATCH", "/api/v1/deals/" + id(d), {{"custom_fields", {{"seats", nullptr}}}});
    EXPECT_EQ(p["custom_fields"], Json({{"source", "web"}}));
    EXPECT_EQ(call("DELETE", "/api/v1/deals/custom-fields/source").status, 204);
    EXPECT_EQ(call("GET", "/api/v1/deals/" + id(d)).json()["custom_fields"], Json::object());
}

TEST_F(DealsCrud, NotesActivitiesAndTimeline) {
    auto d = createDeal({{"title", "Timeline"}, {"currency", "EUR"}});
    const std::string base = "/api/v1/deals/" + id(d);
    expect(201, "POST", base + "/notes", {{"body", "first note"}, {"occurred_at", "2024-01-01T10:00:00Z"}});
    auto task = expect(201, "POST", base + "/activities",
                       {{"kind", "task"}, {"title", "Send proposal"}, {"due_at", "2024-02-01T09:00:00Z"},
                        {"occurred_at", "2024-01-03T10:00:00Z"}});
    EXPECT_EQ(task["done"], false);
    EXPECT_EQ(task["deal_id"], id(d));
    auto bad = call("POST", base + "/activities", {{"kind", "party"}, {"done", "yes"}, {"extra", 1}});
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"].size(), 3u);
    EXPECT_EQ(call("POST", base + "/notes", {{"body", ""}}).status, 422);
    auto timeline = call("GET", base + "/timeline").json()["data"];
    ASSERT_EQ(timeline.size(), 2u);
    EXPECT_EQ(timeline[0]["title"], "Send proposal");
    EXPECT_EQ(timeline[1]["body"], "first note");
    EXPECT_EQ(call("GET", base + "/notes").json()["data"].size(), 1u);
    const std::string task_path = "/api/v1/deal-activities/" + id(task);
    EXPECT_EQ(expect(200, "PATCH", task_path, {{"done", true}}, {{"If-Match", "\"1\""}})["done"], true);
    EXPECT_EQ(call("PATCH", task_path, {{"done", false}}, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(call("DELETE", base).status, 204);
    EXPECT_EQ(call("GET", task_path).status, 404) << "deleting a deal deletes its activities";
}

TEST_F(DealsCrud, TenantsDoNotSeeEachOther) {
    auto d = createDeal({{"title", "Only acme"}, {"currency", "EUR"}});
    EXPECT_EQ(host_->request("GET", "/api/v1/deals/" + id(d), "globex").status, 404);
    EXPECT_EQ(host_->request("GET", "/api/v1/pipelines/" + id(*pipeline_), "globex").status, 404);
    // globex has only the pipeline every new tenant gets; without it, a deal names the gap.
    auto pipelines = host_->request("GET", "/api/v1/pipelines", "globex").json()["data"];
    ASSERT_EQ(pipelines.size(), 1u);
    EXPECT_EQ(host_->request("DELETE", "/api/v1/pipelines/" + pipelines[0]["id"].get<std::string>(), "globex").status, 204);
    auto none = host_->request("POST", "/api/v1/deals", "globex", {{"title", "No pipeline"}, {"currency", "EUR"}});
    EXPECT_EQ(none.status, 422);
    EXPECT_EQ(none.json()["error"]["fields"]["pipeline_id"], "is required: the tenant has no pipeline yet");
}

// A new tenant had no pipeline, so its first deal was refused until someone made one.
TEST_F(DealsCrud, ANewTenantRecordsDealsInADefaultPipelineAtOnce) {
    host_->createTenant("initech");
    auto pipelines = host_->request("GET", "/api/v1/pipelines", "initech");
    ASSERT_EQ(pipelines.status, 200) << pipelines.body;
    ASSERT_EQ(pipelines.json()["data"].size(), 1u) << pipelines.body;
    const auto sales = pipelines.json()["data"][0];
    EXPECT_EQ(sales["name"], "Sales");
    std::vector<std::string> stages;
    for (const auto& stage : sales["stages"]) stages.push_back(stage["name"]);
    EXPECT_EQ(stages, (std::vector<std::string>{"Lead", "Qualified", "Proposal", "Negotiation"}));
    auto deal = host_->request("POST", "/api/v1/deals", "initech", {{"title", "First deal"}, {"currency", "BRL"}});
    ASSERT_EQ(deal.status, 201) << deal.body;
    EXPECT_EQ(deal.json()["pipeline_id"], sales["id"]);
    EXPECT_EQ(deal.json()["stage_id"], sales["stages"][0]["id"]);
    // It is the tenant's like any other: renamed, it stays renamed.
    auto renamed = host_->request("PATCH", "/api/v1/pipelines/" + sales["id"].get<std::string>(), "initech",
                                  {{"name", "Vendas"}}, {{"If-Match", "\"1\""}});
    EXPECT_EQ(renamed.status, 200) << renamed.body;
}

}  // namespace
}  // namespace tessera::plugins::deals::test
