// A deal's life: stage history, winning and losing (with the lost reason list), the
// kanban board and card moves.

#include "deals_fixture.hpp"

namespace tessera::plugins::deals::test {
namespace {

class DealsFlow : public DealsTest {};

TEST_F(DealsFlow, StageChangesAreRecordedAsHistory) {
    auto p = createPipeline("History", {{"Lead", 10}, {"Demo", 40}, {"Contract", 80}});
    auto d = createDeal({{"title", "Walk the pipeline"}, {"currency", "EUR"}, {"pipeline_id", id(p)}});
    const std::string path = "/api/v1/deals/" + id(d);
    auto demo = expect(200, "PATCH", path, {{"stage_id", stageId(p, 1)}});
    EXPECT_EQ(demo["stage_id"], stageId(p, 1));
    EXPECT_GE(demo["stage_entered_at"].get<std::string>(), d["stage_entered_at"].get<std::string>());
    expect(200, "PATCH", path, {{"stage_id", stageId(p, 2)}});
    expect(200, "PATCH", path, {{"stage_id", stageId(p, 2)}});  // no change, no entry
    expect(200, "PATCH", path, {{"status", "won"}});

    auto h = call("GET", path + "/history").json();
    auto data = h["data"];
    ASSERT_EQ(data.size(), 4u) << h.dump();
    EXPECT_EQ(data[0]["kind"], "created");
    EXPECT_TRUE(data[0]["from_stage_id"].is_null());
    EXPECT_EQ(data[0]["to_stage_id"], stageId(p, 0));
    EXPECT_TRUE(data[0]["seconds_in_stage"].is_null());
    EXPECT_EQ(data[1]["kind"], "stage");
    EXPECT_EQ(data[1]["from_stage_id"], stageId(p, 0));
    EXPECT_EQ(data[1]["to_stage_id"], stageId(p, 1));
    EXPECT_TRUE(data[1]["seconds_in_stage"].is_number_integer());
    EXPECT_GE(data[1]["seconds_in_stage"].get<int>(), 0);
    EXPECT_EQ(data[2]["from_stage_id"], stageId(p, 1));
    EXPECT_EQ(data[2]["to_stage_id"], stageId(p, 2));
    EXPECT_EQ(data[3]["kind"], "status");
    EXPECT_EQ(data[3]["from_status"], "open");
    EXPECT_EQ(data[3]["to_status"], "won");
    for (const auto& e : data) EXPECT_EQ(e["changed_at"].get<std::string>().back(), 'Z');
    // Who made the change: the caller (null only for anonymous calls).
    EXPECT_EQ(data[1]["changed_by"], data[0]["changed_by"]);

    auto page = call("GET", path + "/history?limit=3").json();
    ASSERT_EQ(page["data"].size(), 3u);
    auto rest = call("GET", path + "/history?limit=3&cursor=" + page["next_cursor"].get<std::string>()).json();
    ASSERT_EQ(rest["data"].size(), 1u);
    EXPECT_EQ(rest["data"][0]["kind"], "status");

    auto other = createPipeline("Elsewhere", {{"Far", 5}});
    auto cross = call("PATCH", path, {{"pipeline_id", id(p)}, {"stage_id", stageId(other, 0)}});
    EXPECT_EQ(cross.status, 422);
    EXPECT_EQ(cross.json()["error"]["fields"]["stage_id"], "belongs to another pipeline");
    auto moved = expect(200, "PATCH", path, {{"pipeline_id", id(other)}});
    EXPECT_EQ(moved["stage_id"], stageId(other, 0)) << "changing pipeline lands in its first stage";
}

TEST_F(DealsFlow, LostNeedsAReasonFromTheTenantList) {
    auto p = createPipeline("Losing", {{"Only", 30}});
    auto d = createDeal({{"title", "Will lose"}, {"currency", "EUR"}, {"pipeline_id", id(p)}, {"amount", 900}});
    const std::string path = "/api/v1/deals/" + id(d);
    auto missing = call("PATCH", path, {{"status", "lost"}});
    ASSERT_EQ(missing.status, 422) << missing.body;
    EXPECT_EQ(missing.json()["error"]["fields"]["lost_reason_id"], "is required when status is lost");
    auto bogus = call("PATCH", path, {{"status", "lost"}, {"lost_reason_id", "lr_bogus"}});
    EXPECT_EQ(bogus.json()["error"]["fields"]["lost_reason_id"], "no such lost reason");
    auto open_reason = call("PATCH", path, {{"lost_reason_id", "lr_bogus"}});
    EXPECT_EQ(open_reason.status, 422);

    auto price = expect(201, "POST", "/api/v1/lost-reasons", {{"name", "Price"}});
    EXPECT_EQ(price["active"], true);
    EXPECT_EQ(call("POST", "/api/v1/lost-reasons", {{"name", "PRICE"}}).status, 409);
    EXPECT_EQ(call("POST", "/api/v1/lost-reasons", {{"name", ""}, {"x", 1}}).json()["error"]["fields"].size(), 2u);

    auto lost = expect(200, "PATCH", path, {{"status", "lost"}, {"lost_reason_id", id(price)}});
    EXPECT_EQ(lost["status"], "lost");
    EXPECT_EQ(lost["lost_reason_id"], id(price));
    ASSERT_TRUE(lost["closed_at"].is_string());
    auto history = call("GET", path + "/history").json()["data"];
    EXPECT_EQ(history.back()["to_status"], "lost");

    auto in_use = call("DELETE", "/api/v1/lost-reasons/" + id(price));
    EXPECT_EQ(in_use.status, 409);
    EXPECT_EQ(in_use.json()["error"]["code"], "lost_reason_in_use");
    auto inactive = expect(200, "PATCH", "/api/v1/lost-reasons/" + id(price), {{"active", false}});
    EXPECT_EQ(inactive["active"], false);
    auto active_only = call("GET", "/api/v1/lost-reasons?active=true").json()["data"];
    for (const auto& r : active_only) EXPECT_NE(r["id"], price["id"]);
    auto other = createDeal({{"title", "Other"}, {"currency", "EUR"}, {"pipeline_id", id(p)}});
    auto retired = call("PATCH", "/api/v1/deals/" + id(other), {{"status", "lost"}, {"lost_reason_id", id(price)}});
    EXPECT_EQ(retired.json()["error"]["fields"]["lost_reason_id"], "this lost reason is no longer offered");

    auto reopened = expect(200, "PATCH", path, {{"status", "open"}});
    EXPECT_TRUE(reopened["lost_reason_id"].is_null());
    EXPECT_TRUE(reopened["closed_at"].is_null());
    EXPECT_EQ(call("DELETE", "/api/v1/lost-reasons/" + id(price)).status, 204);
}

TEST_F(DealsFlow, BoardGroupsByStageWithTotalsAndPagesWithinAStage) {
    auto p = createPipeline("Board", {{"New", 20}, {"Hot", 60}});
    auto d1 = createDeal({{"title", "d1"}, {"currency", "EUR"}, {"amount", 100}, {"pipeline_id", id(p)}});
    auto d2 = createDeal({{"title", "d2"}, {"currency", "EUR"}, {"amount", 200}, {"pipeline_id", id(p)}});
    auto d3 = createDeal({{"title", "d3"}, {"currency", "USD"}, {"amount", 50}, {"pipeline_id", id(p)}});
    auto d4 = createDeal({{"title", "d4"}, {"currency", "EUR"}, {"amount", 1000}, {"stage_id", stageId(p, 1)}});
    auto won = createDeal({{"title", "won"}, {"currency", "EUR"}, {"amount", 7}, {"stage_id", stageId(p, 1)}, {"status", "won"}});
    const std::string board = "/api/v1/pipelines/" + id(p) + "/board";

    auto b = expect(200, "GET", board + "?limit=2");
    EXPECT_EQ(b["pipeline"]["id"], id(p));
    EXPECT_EQ(b["status"], "open");
    ASSERT_EQ(b["stages"].size(), 2u);
    auto s1 = b["stages"][0];
    EXPECT_EQ(s1["stage"]["name"], "New");
    EXPECT_EQ(s1["count"], 3);
    EXPECT_EQ(s1["totals"], Json::parse(R"([{"currency":"EUR","amount":300},{"currency":"USD","amount":50}])"));
    ASSERT_EQ(s1["deals"].size(), 2u);
    EXPECT_EQ(s1["deals"][0]["id"], id(d1));
    EXPECT_EQ(s1["deals"][1]["id"], id(d2));
    ASSERT_TRUE(s1["next_cursor"].is_string());
    auto s2 = b["stages"][1];
    EXPECT_EQ(s2["count"], 1) << "won deals are not on the open board";
    EXPECT_EQ(s2["totals"], Json::parse(R"([{"currency":"EUR","amount":1000}])"));
    EXPECT_TRUE(s2["next_cursor"].is_null());

    auto more = expect(200, "GET", board + "?limit=2&stage_id=" + stageId(p, 0) + "&cursor=" + s1["next_cursor"].get<std::string>());
    ASSERT_EQ(more["stages"].size(), 1u);
    ASSERT_EQ(more["stages"][0]["deals"].size(), 1u);
    EXPECT_EQ(more["stages"][0]["deals"][0]["id"], id(d3));
    EXPECT_EQ(call("GET", board + "?cursor=" + s1["next_cursor"].get<std::string>()).status, 400);
    EXPECT_EQ(call("GET", board + "?stage_id=" + stageId(p, 1) + "&cursor=" + s1["next_cursor"].get<std::string>()).status, 400);
    EXPECT_EQ(call("GET", board + "?status=maybe").status, 400);
    auto won_board = expect(200, "GET", board + "?status=won");
    EXPECT_EQ(won_board["stages"][1]["deals"][0]["id"], id(won));

    // Drag d3 to the top of its column, then d1 to the top of "Hot".
    auto top = expect(200, "PATCH", "/api/v1/deals/" + id(d3), {{"position", 0}});
    EXPECT_EQ(top["position"], 0);
    auto across = expect(200, "PATCH", "/api/v1/deals/" + id(d1), {{"stage_id", stageId(p, 1)}, {"position", 0}});
    EXPECT_EQ(across["stage_id"], stageId(p, 1));
    auto after = expect(200, "GET", board + "?status=all");
    auto titles = [](const Json& stage) {
        std::vector<std::string> out;
        for (const auto& d : stage["deals"]) out.push_back(d["title"].get<std::string>() + "@" + std::to_string(d["position"].get<int>()));
        return out;
    };
    EXPECT_EQ(titles(after["stages"][0]), (std::vector<std::string>{"d3@0", "d2@1"}));
    EXPECT_EQ(titles(after["stages"][1]), (std::vector<std::string>{"d1@0", "d4@1", "won@2"}));
    EXPECT_EQ(after["stages"][1]["count"], 3);
    EXPECT_EQ(call("PATCH", "/api/v1/deals/" + id(d2), {{"position", -1}}).status, 422);
    (void)d4;
}

}  // namespace
}  // namespace tessera::plugins::deals::test
