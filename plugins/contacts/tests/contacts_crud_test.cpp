// Create, read, update and delete of contacts and companies through the HTTP API,
// including the conventions: validation, unknown fields, ETag/If-Match, duplicates.

#include "contacts_fixture.hpp"

namespace tessera::plugins::contacts::test {
namespace {

class ContactsCrud : public ContactsTest {};

TEST_F(ContactsCrud, CreateReturns201WithIdTimestampsAndEtag) {
    auto r = call("POST", "/api/v1/contacts", {{"name", "Ana Lima"}, {"email", "ana@crud.test"}, {"tags", {"vip"}}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto c = r.json();
    EXPECT_EQ(c["name"], "Ana Lima");
    EXPECT_EQ(c["tags"], Json::array({"vip"}));
    ASSERT_TRUE(c["id"].is_string());
    EXPECT_EQ(c["id"].get<std::string>().rfind("ct_", 0), 0u);
    EXPECT_EQ(c["created_at"].get<std::string>().back(), 'Z');
    EXPECT_EQ(r.header("etag"), "\"1\"");
    EXPECT_EQ(r.header("location"), "/api/v1/contacts/" + c["id"].get<std::string>());

    auto g = call("GET", "/api/v1/contacts/" + c["id"].get<std::string>());
    EXPECT_EQ(g.status, 200);
    EXPECT_EQ(g.json(), c);
}

TEST_F(ContactsCrud, ValidationReportsEveryProblemAtOnce) {
    auto r = call("POST", "/api/v1/contacts",
                  {{"email", "not-an-email"}, {"nickname", "x"}, {"tags", "vip"}, {"phone", 5}, {"id", "ct_mine"}});
    ASSERT_EQ(r.status, 422) << r.body;
    auto e = r.json()["error"];
    EXPECT_EQ(e["code"], "validation_failed");
    EXPECT_EQ(e["fields"]["email"], "must be a valid email address");
    EXPECT_EQ(e["fields"]["nickname"], "unknown field");
    EXPECT_EQ(e["fields"]["name"], "is required");
    EXPECT_TRUE(e["fields"].contains("tags"));
    EXPECT_TRUE(e["fields"].contains("phone"));
    EXPECT_TRUE(e["fields"].contains("id"));
    EXPECT_TRUE(r.json()["request_id"].is_string());
}

TEST_F(ContactsCrud, BadInputGetsClean4xx) {
    EXPECT_EQ(raw("POST", "/api/v1/contacts", "{\"name\": ").status, 400);
    EXPECT_EQ(raw("POST", "/api/v1/contacts", "[1,2]").status, 400);
    EXPECT_EQ(raw("POST", "/api/v1/contacts", "{\"name\":\"bad \xC3\x28 utf8\"}").status, 400);
    auto big = call("POST", "/api/v1/contacts", {{"name", std::string(201, 'x')}});
    EXPECT_EQ(big.status, 422);
    EXPECT_EQ(big.json()["error"]["fields"]["name"], "must be at most 200 characters");
    auto huge = raw("POST", "/api/v1/contacts", "{\"name\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}");
    EXPECT_GE(huge.status, 400);
    EXPECT_LT(huge.status, 500);
    EXPECT_EQ(call("GET", "/api/v1/contacts/ct_doesnotexist").status, 404);
    EXPECT_EQ(call("GET", "/api/v1/contacts/ct_doesnotexist").json()["error"]["code"], "contact_not_found");
}

TEST_F(ContactsCrud, InjectionStringsAreStoredVerbatim) {
    const std::string name = "Robert'); DROP TABLE contacts_contacts;-- <script>alert(1)</script> ?";
    auto c = createContact({{"name", name}, {"notes", "%_\\ \" ' `"}});
    auto g = call("GET", "/api/v1/contacts/" + c["id"].get<std::string>()).json();
    EXPECT_EQ(g["name"], name);
    EXPECT_EQ(g["notes"], "%_\\ \" ' `");
    EXPECT_EQ(call("GET", "/api/v1/contacts").status, 200);
}

TEST_F(ContactsCrud, PatchChangesOnlyGivenFieldsAndHonoursIfMatch) {
    auto c = createContact({{"name", "Bia"}, {"email", "bia@crud.test"}, {"phone", "123"}});
    const std::string path = "/api/v1/contacts/" + c["id"].get<std::string>();
    auto p = call("PATCH", path, {{"phone", nullptr}, {"tax_id", "42"}}, {{"If-Match", "\"1\""}});
    ASSERT_EQ(p.status, 200) << p.body;
    EXPECT_EQ(p.json()["name"], "Bia");
    EXPECT_EQ(p.json()["email"], "bia@crud.test");
    EXPECT_TRUE(p.json()["phone"].is_null());
    EXPECT_EQ(p.json()["tax_id"], "42");
    EXPECT_EQ(p.header("etag"), "\"2\"");

    auto stale = call("PATCH", path, {{"name", "Old"}}, {{"If-Match", "\"1\""}});
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(stale.json()["error"]["code"], "precondition_failed");
    EXPECT_EQ(call("GET", path).json()["name"], "Bia");

    EXPECT_EQ(call("PATCH", path, {{"bogus", 1}}).status, 422);
    EXPECT_EQ(call("DELETE", path, nullptr, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(call("DELETE", path, nullptr, {{"If-Match", "\"2\""}}).status, 204);
    EXPECT_EQ(call("GET", path).status, 404);
}

TEST_F(ContactsCrud, DuplicateEmailIs409WithExistingIdAndUpsertUpdates) {
    auto c = createContact({{"name", "Caio"}, {"email", "caio@crud.test"}});
    auto dup = call("POST", "/api/v1/contacts", {{"name", "Other"}, {"email", "CAIO@crud.test"}});
    ASSERT_EQ(dup.status, 409) << dup.body;
    EXPECT_EQ(dup.json()["error"]["code"], "duplicate_email");
    EXPECT_EQ(dup.json()["error"]["existing_id"], c["id"]);

    auto up = call("POST", "/api/v1/contacts?upsert=email", {{"name", "Caio Prado"}, {"email", "caio@crud.test"}});
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json()["id"], c["id"]);
    EXPECT_EQ(up.json()["name"], "Caio Prado");
    auto fresh = call("POST", "/api/v1/contacts?upsert=email", {{"name", "New"}, {"email", "new@crud.test"}});
    EXPECT_EQ(fresh.status, 201);

    auto other = createContact({{"name", "Dora"}, {"email", "dora@crud.test"}});
    auto clash = call("PATCH", "/api/v1/contacts/" + other["id"].get<std::string>(), {{"email", "caio@crud.test"}});
    EXPECT_EQ(clash.status, 409);
    EXPECT_EQ(clash.json()["error"]["existing_id"], c["id"]);
}

TEST_F(ContactsCrud, DeletingACompanyUnlinksItsContacts) {
    auto co = createCompany({{"name", "Initech"}, {"domain", "initech.test"}});
    const std::string co_id = co["id"].get<std::string>();
    auto c = createContact({{"name", "Peter"}, {"company_id", co_id}});
    EXPECT_EQ(c["company_id"], co_id);
    auto bad = call("POST", "/api/v1/contacts", {{"name", "X"}, {"company_id", "co_missing"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["error"]["fields"]["company_id"], "no such company");

    EXPECT_EQ(call("DELETE", "/api/v1/companies/" + co_id).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/companies/" + co_id).status, 404);
    auto after = call("GET", "/api/v1/contacts/" + c["id"].get<std::string>());
    ASSERT_EQ(after.status, 200);
    EXPECT_TRUE(after.json()["company_id"].is_null());
    EXPECT_EQ(after.json()["version"], 2);
}

TEST_F(ContactsCrud, TenantsDoNotSeeEachOther) {
    auto c = createContact({{"name", "Only Acme"}, {"email", "only@crud.test"}});
    auto other = host_->request("GET", "/api/v1/contacts/" + c["id"].get<std::string>(), "globex");
    EXPECT_EQ(other.status, 404);
    auto created = host_->request("POST", "/api/v1/contacts", "globex", {{"name", "G"}, {"email", "only@crud.test"}});
    EXPECT_EQ(created.status, 201) << "the duplicate guard is per tenant";
}

}  // namespace
}  // namespace tessera::plugins::contacts::test
