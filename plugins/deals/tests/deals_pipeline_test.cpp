// Pipelines and stages: validation, reordering, editing, and deleting a stage or a
// pipeline that still holds deals.

#include "deals_fixture.hpp"

namespace tessera::plugins::deals::test {
namespace {

class DealsPipelines : public DealsTest {};

TEST_F(DealsPipelines, CreateValidatesStagesAndReturnsThemInOrder) {
    auto bad = call("POST", "/api/v1/pipelines",
                    {{"name", ""}, {"stages", {{{"name", "A"}, {"probability", 101}}, {{"probability", 5}, {"rotten_after_days", 0}}}},
                     {"color", "red"}});
    ASSERT_EQ(bad.status, 422) << bad.body;
    auto f = bad.json()["error"]["fields"];
    EXPECT_EQ(f["name"], "must not be empty");
    EXPECT_EQ(f["stages.0.probability"], "must be an integer from 0 to 100");
    EXPECT_EQ(f["stages.1.name"], "is required");
    EXPECT_TRUE(f.contains("stages.1.rotten_after_days"));
    EXPECT_EQ(f["color"], "unknown field");
    EXPECT_EQ(call("POST", "/api/v1/pipelines", {{"name", "Empty"}, {"stages", Json::array()}}).status, 422);

    auto r = call("POST", "/api/v1/pipelines",
                  {{"name", "Enterprise"},
                   {"stages", {{{"name", "Qualified"}, {"probability", 10}, {"rotten_after_days", 14}},
                               {{"name", "Demo"}, {"probability", 40}},
                               {{"name", "Contract"}, {"probability", 90}}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto p = r.json();
    EXPECT_EQ(r.header("location"), "/api/v1/pipelines/" + id(p));
    ASSERT_EQ(p["stages"].size(), 3u);
    EXPECT_EQ(p["stages"][0]["name"], "Qualified");
    EXPECT_EQ(p["stages"][0]["rotten_after_days"], 14);
    EXPECT_TRUE(p["stages"][1]["rotten_after_days"].is_null());
    EXPECT_EQ(p["stages"][2]["position"], 2);
    EXPECT_EQ(p["stages"][2]["probability"], 90);
    auto list = call("GET", "/api/v1/pipelines");
    ASSERT_EQ(list.status, 200) << list.body;
    bool listed = false;
    const Json pipelines = list.json();
    for (const auto& item : pipelines["data"]) listed = listed || item["id"] == p["id"];
    EXPECT_TRUE(listed) << list.body;
}

TEST_F(DealsPipelines, StagesCanBeAddedEditedAndReordered) {
    auto p = createPipeline("Reorder", {{"One", 10}, {"Two", 20}, {"Three", 30}});
    const std::string base = "/api/v1/pipelines/" + id(p);
    auto added = expect(201, "POST", base + "/stages", {{"name", "One and a half"}, {"probability", 15}, {"position", 1}});
    ASSERT_EQ(added["stages"].size(), 4u);
    EXPECT_EQ(added["stages"][1]["name"], "One and a half");
    EXPECT_EQ(added["stages"][3]["name"], "Three");
    EXPECT_EQ(added["version"], 2) << "stage changes version the pipeline";

    auto edited = expect(200, "PATCH", base + "/stages/" + stageId(added, 3),
                         {{"probability", 35}, {"rotten_after_days", 30}}, {{"If-Match", "\"2\""}});
    EXPECT_EQ(edited["stages"][3]["probability"], 35);
    EXPECT_EQ(edited["stages"][3]["rotten_after_days"], 30);
    EXPECT_EQ(call("PATCH", base + "/stages/" + stageId(added, 3), {{"probability", 1}}, {{"If-Match", "\"2\""}}).status, 412);
    EXPECT_EQ(call("PATCH", base + "/stages/" + stageId(added, 3), {{"position", 0}}).status, 422);
    EXPECT_EQ(call("PATCH", base + "/stages/stg_elsewhere", {{"name", "x"}}).status, 404);

    Json order = Json::array({stageId(added, 3), stageId(added, 0), stageId(added, 2), stageId(added, 1)});
    auto reordered = expect(200, "POST", base + "/stages/reorder", {{"stage_ids", order}});
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(reordered["stages"][i]["id"], order[i]);
        EXPECT_EQ(reordered["stages"][i]["position"], static_cast<int>(i));
    }
    auto incomplete = call("POST", base + "/stages/reorder", {{"stage_ids", {stageId(added, 0)}}});
    EXPECT_EQ(incomplete.status, 422);
    EXPECT_EQ(incomplete.json()["error"]["fields"]["stage_ids"], "must list every stage id of the pipeline exactly once");
    auto renamed = expect(200, "PATCH", base, {{"name", "Reordered"}});
    EXPECT_EQ(renamed["name"], "Reordered");
    EXPECT_EQ(renamed["stages"].size(), 4u);
}

TEST_F(DealsPipelines, DeletingAStageThatHoldsDealsNeedsMoveTo) {
    auto p = createPipeline("Cleanup", {{"Old", 10}, {"New", 50}, {"Empty", 70}});
    const std::string base = "/api/v1/pipelines/" + id(p);
    auto kept = createDeal({{"title", "Already in New"}, {"currency", "EUR"}, {"stage_id", stageId(p, 1)}});
    auto a = createDeal({{"title", "A"}, {"currency", "EUR"}, {"stage_id", stageId(p, 0)}});
    auto b = createDeal({{"title", "B"}, {"currency", "EUR"}, {"stage_id", stageId(p, 0)}});

    auto refused = call("DELETE", base + "/stages/" + stageId(p, 0));
    ASSERT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.json()["error"]["code"], "stage_has_deals");
    EXPECT_EQ(refused.json()["error"]["fields"]["move_to"], "required: the stage holds 2 deals");
    auto self = call("DELETE", base + "/stages/" + stageId(p, 0) + "?move_to=" + stageId(p, 0));
    EXPECT_EQ(self.status, 422);
    EXPECT_EQ(self.json()["error"]["fields"]["move_to"], "must be another stage of the same pipeline");
    auto other = createPipeline("Other", {{"Elsewhere", 10}});
    EXPECT_EQ(call("DELETE", base + "/stages/" + stageId(p, 0) + "?move_to=" + stageId(other, 0)).status, 422);
    EXPECT_EQ(call("GET", "/api/v1/deals/" + id(a)).json()["stage_id"], stageId(p, 0)) << "a refused delete moves nothing";

    ASSERT_EQ(call("DELETE", base + "/stages/" + stageId(p, 0) + "?move_to=" + stageId(p, 1)).status, 204);
    auto after = call("GET", base).json();
    ASSERT_EQ(after["stages"].size(), 2u);
    EXPECT_EQ(after["stages"][0]["id"], stageId(p, 1));
    EXPECT_EQ(after["stages"][0]["position"], 0);
    auto moved_a = call("GET", "/api/v1/deals/" + id(a)).json();
    auto moved_b = call("GET", "/api/v1/deals/" + id(b)).json();
    EXPECT_EQ(moved_a["stage_id"], stageId(p, 1));
    EXPECT_EQ(moved_b["stage_id"], stageId(p, 1));
    // Moved cards go after the stage's own cards, keeping their order.
    EXPECT_EQ(call("GET", "/api/v1/deals/" + id(kept)).json()["position"], 0);
    EXPECT_EQ(moved_a["position"], 1);
    EXPECT_EQ(moved_b["position"], 2);
    auto history = call("GET", "/api/v1/deals/" + id(a) + "/history").json()["data"];
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1]["kind"], "stage");
    EXPECT_EQ(history[1]["from_stage_id"], stageId(p, 0));
    EXPECT_EQ(history[1]["to_stage_id"], stageId(p, 1));

    EXPECT_EQ(call("DELETE", base + "/stages/" + stageId(p, 2)).status, 204) << "an empty stage needs no move_to";
    auto busy = call("DELETE", base);
    EXPECT_EQ(busy.status, 409);
    EXPECT_EQ(busy.json()["error"]["code"], "pipeline_has_deals");
    EXPECT_EQ(call("DELETE", "/api/v1/pipelines/" + id(other)).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/pipelines/" + id(other)).status, 404);
}

}  // namespace
}  // namespace tessera::plugins::deals::test
