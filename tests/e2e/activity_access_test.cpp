// Notes, activities and timelines are exactly as visible as the record they belong to:
// a role limited to its own contacts, companies or deals cannot read, add, change or
// delete them on someone else's record (404, as for the record itself), and a role's
// hidden fields of "activities" / "deal_activities" apply to every activity answer.
#include <gtest/gtest.h>

#include "host_suite.hpp"

namespace tessera::test {
namespace {

class ActivityAccess : public HostSuite {
public:
    static void SetUpTestSuite() {
        startHost({"acme"}, [](TestHost& h) { h.useFastPasswordHashing(); });
    }

    // A user of a new role with these permissions and access rules; returns its headers.
    static std::map<std::string, std::string> userWithRole(const std::string& email, const Json& permissions,
                                                           const Json& access) {
        auto role = call("POST", "/api/v1/roles", {{"name", "Role of " + email}, {"permissions", permissions}, {"access", access}});
        EXPECT_EQ(role.status, 201) << role.body;
        auto user = call("POST", "/api/v1/users",
                         {{"email", email}, {"name", "Seller"}, {"role", role.json()["id"]}, {"password", kPassword}});
        EXPECT_EQ(user.status, 201) << user.body;
        auto login = call("POST", "/api/v1/auth/login",
                          {{"email", email}, {"password", kPassword}, {"token", true}, {"session", false}},
                          {{"Authorization", ""}});
        EXPECT_EQ(login.status, 200) << login.body;
        return {{"Authorization", "Bearer " + login.json().value("token", "")}};
    }
};

TEST_F(ActivityAccess, ActivitiesOfAContactOrCompanyFollowItsOwner) {
    const auto seller = userWithRole(
        "seller@acme.example", {"contacts.read", "contacts.write", "contacts.delete"},
        {{"contacts", {{"own_records_only", true}}},
         {"companies", {{"own_records_only", true}}},
         {"activities", {{"hidden_fields", {"title"}}}}});
    // Records of someone else (the Owner), each with a note and a call.
    const auto contact = created("/api/v1/contacts", {{"name", "Someone else's lead"}});
    const auto company = created("/api/v1/companies", {{"name", "Someone else's account"}});
    for (const std::string& base : {"/api/v1/contacts/" + id(contact), "/api/v1/companies/" + id(company)}) {
        const auto note = created(base + "/notes", {{"body", "Private pricing discussion"}});
        const auto act = created(base + "/activities", {{"kind", "call"}, {"title", "Negotiation"}});
        SCOPED_TRACE(base);
        for (const char* list : {"/notes", "/activities", "/timeline"}) {
            auto r = call("GET", base + list, nullptr, seller);
            EXPECT_EQ(r.status, 404) << list << " " << r.body;
            EXPECT_TRUE(r.json()["error"]["code"] == "contact_not_found" || r.json()["error"]["code"] == "company_not_found")
                << r.body;
        }
        EXPECT_EQ(call("POST", base + "/notes", {{"body", "Sneaky"}}, seller).status, 404);
        EXPECT_EQ(call("POST", base + "/activities", {{"kind", "task"}, {"title", "Sneaky"}}, seller).status, 404);
        // The single-item routes of those activities too.
        for (const auto& item : {note, act}) {
            const std::string path = "/api/v1/activities/" + id(item);
            auto get = call("GET", path, nullptr, seller);
            EXPECT_EQ(get.status, 404) << get.body;
            EXPECT_EQ(get.json()["error"]["code"], "activity_not_found");
            EXPECT_EQ(call("PATCH", path, {{"title", "Mine now"}}, seller).status, 404);
            EXPECT_EQ(call("DELETE", path, nullptr, seller).status, 404);
            EXPECT_EQ(call("GET", path).status, 200) << "still there for the Owner";
        }
        EXPECT_EQ(expect(200, "GET", base + "/timeline")["data"].size(), 2u);
    }

    // On the seller's own contact everything works, without the hidden field.
    const auto mine = expect(201, "POST", "/api/v1/contacts", {{"name", "My lead"}}, seller);
    const std::string base = "/api/v1/contacts/" + id(mine);
    auto note = call("POST", base + "/activities", {{"kind", "call"}, {"body", "Called, interested"}}, seller);
    ASSERT_EQ(note.status, 201) << note.body;
    EXPECT_FALSE(note.json().contains("title")) << note.body;
    EXPECT_EQ(call("PATCH", "/api/v1/activities/" + id(note.json()), {{"body", "Signed"}}, seller).status, 200);
    // The Owner gives it a title the seller's role does not see.
    EXPECT_EQ(call("PATCH", "/api/v1/activities/" + id(note.json()), {{"title", "Closing call"}}).status, 200);
    auto timeline = call("GET", base + "/timeline", nullptr, seller);
    ASSERT_EQ(timeline.status, 200) << timeline.body;
    ASSERT_EQ(timeline.json()["data"].size(), 1u);
    EXPECT_FALSE(timeline.json()["data"][0].contains("title"));
    EXPECT_EQ(timeline.json()["data"][0]["body"], "Signed");
    auto item = call("GET", "/api/v1/activities/" + id(note.json()), nullptr, seller);
    ASSERT_EQ(item.status, 200) << item.body;
    EXPECT_FALSE(item.json().contains("title"));
    auto hidden_write = call("POST", base + "/activities", {{"kind", "task"}, {"title", "Follow up"}}, seller);
    EXPECT_EQ(hidden_write.status, 422) << hidden_write.body;
    EXPECT_TRUE(hidden_write.json()["error"]["fields"].contains("title")) << hidden_write.body;
    auto hidden_patch = call("PATCH", "/api/v1/activities/" + id(note.json()), {{"title", "Mine"}}, seller);
    EXPECT_EQ(hidden_patch.status, 422) << hidden_patch.body;
    EXPECT_EQ(expect(200, "GET", "/api/v1/activities/" + id(note.json()))["title"], "Closing call");
}

TEST_F(ActivityAccess, ActivitiesOfADealFollowItsOwner) {
    const auto rep = userWithRole("rep@acme.example", {"deals.read", "deals.write", "deals.delete"},
                                  {{"deals", {{"own_records_only", true}}}});
    const auto pipeline =
        created("/api/v1/pipelines", {{"name", "Sales"}, {"stages", {{{"name", "New"}, {"probability", 10}}}}});
    const auto deal =
        created("/api/v1/deals", {{"title", "Someone else's deal"}, {"currency", "EUR"}, {"pipeline_id", id(pipeline)}});
    const std::string base = "/api/v1/deals/" + id(deal);
    const auto note = created(base + "/notes", {{"body", "Board approved"}});
    for (const char* list : {"/notes", "/activities", "/timeline"}) {
        auto r = call("GET", base + list, nullptr, rep);
        EXPECT_EQ(r.status, 404) << list << " " << r.body;
        EXPECT_EQ(r.json()["error"]["code"], "deal_not_found");
    }
    EXPECT_EQ(call("POST", base + "/notes", {{"body", "Sneaky"}}, rep).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/deal-activities/" + id(note), nullptr, rep).status, 404);
    EXPECT_EQ(call("PATCH", "/api/v1/deal-activities/" + id(note), {{"body", "x"}}, rep).status, 404);
    EXPECT_EQ(call("DELETE", "/api/v1/deal-activities/" + id(note), nullptr, rep).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/deal-activities/" + id(note)).status, 200);

    const auto mine = expect(201, "POST", "/api/v1/deals",
                             {{"title", "My deal"}, {"currency", "EUR"}, {"pipeline_id", id(pipeline)}}, rep);
    auto own_note = call("POST", "/api/v1/deals/" + id(mine) + "/notes", {{"body", "Kick-off done"}}, rep);
    ASSERT_EQ(own_note.status, 201) << own_note.body;
    EXPECT_EQ(call("GET", "/api/v1/deal-activities/" + id(own_note.json()), nullptr, rep).status, 200);
}

}  // namespace
}  // namespace tessera::test
