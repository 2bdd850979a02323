// Indexed search (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and the streamed export,
// through the real host. Each test uses its own words and tags so that it sees only its
// own rows on the suite's shared tenant.

#include <set>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "contacts_fixture.hpp"

namespace tessera::plugins::contacts::test {
namespace {

class ContactsSearchExport : public ContactsTest {
protected:
    static std::set<std::string> found(const std::string& query, const std::string& extra = "") {
        auto r = call("GET", "/api/v1/contacts?limit=200&q=" + enc(query) + extra);
        EXPECT_EQ(r.status, 200) << query << ": " << r.body;
        std::set<std::string> out;
        const Json body = r.json();
        if (body.is_object() && body.contains("data"))
            for (const auto& c : body["data"]) out.insert(c["name"].get<std::string>());
        return out;
    }
    using Names = std::set<std::string>;

    // 1,201 rows: more than two of the export's 500-row batches, so the keyset
    // continuation between batches is exercised.
    static constexpr int kExportRows = 1201;

    static void importRows(const std::string& tag) {
        std::string csv = "name,email,tags\r\n";
        for (int i = 0; i < kExportRows; ++i)
            csv += "Streamrow " + std::to_string(100000 + i) + ",row" + std::to_string(i) + "@" + tag + ".test," +
                   tag + "\r\n";
        auto r = raw("POST", "/api/v1/contacts/import", csv, "text/csv");
        ASSERT_EQ(r.status, 200) << r.body;
        ASSERT_EQ(r.json()["imported"], kExportRows);
    }
};

TEST_F(ContactsSearchExport, MatchesSubstringsOfNameEmailPhoneAndCompanyIgnoringCaseAndAccents) {
    auto co = createCompany({{"name", "Qorvantix Logística"}});
    createContact({{"name", "Wendelin Großmüller-Açaí"}, {"email", "W.Gross@Kelpmarsh.test"},
                   {"phone", "+49 (30) 7788-9911"}});
    createContact({{"name", "Plain Quillfeather"}, {"company_id", co["id"]}});
    const Names wendelin{"Wendelin Großmüller-Açaí"};
    EXPECT_EQ(found("ossmull"), wendelin) << "middle of a word, folded ß and ü";
    EXPECT_EQ(found("GROSSMÜLLER-ACAI"), wendelin);
    EXPECT_EQ(found("w.gross@kelpmarsh"), wendelin);
    EXPECT_EQ(found("7788-99"), wendelin) << "phone as written";
    EXPECT_EQ(found("3077889911"), wendelin) << "phone by digits only";
    EXPECT_EQ(found("qorvantix logist"), (Names{"Plain Quillfeather"})) << "the company's name";
    EXPECT_EQ(found("LOGÍSTICA"), (Names{"Plain Quillfeather"}));
    EXPECT_TRUE(found("grossmuller acai").empty()) << "a substring, not a bag of words";
    EXPECT_TRUE(found("kelpmarshes").empty());
}

TEST_F(ContactsSearchExport, EveryScriptFoldsToOneSpellingThatEitherWayFinds) {
    createContact({{"name", "Ñandú Zephyrine"}});
    createContact({{"name", "Antonín Dvořák-Vellum"}});
    createContact({{"name", "Αθηνά Καλλιόπη"}});
    createContact({{"name", "Москва Торговля"}});
    createContact({{"name", "Đặng Thị Vesperal"}});
    EXPECT_EQ(found("nandu zeph"), (Names{"Ñandú Zephyrine"}));
    EXPECT_EQ(found("ÑANDÚ"), (Names{"Ñandú Zephyrine"}));
    EXPECT_EQ(found("DVORAK-VEL"), (Names{"Antonín Dvořák-Vellum"}));
    EXPECT_EQ(found("αθηνα καλλ"), (Names{"Αθηνά Καλλιόπη"})) << "Greek without its accents";
    EXPECT_EQ(found("athena kalliope"), (Names{"Αθηνά Καλλιόπη"})) << "Greek typed in Latin letters";
    EXPECT_EQ(found("МОСКВА ТОРГ"), (Names{"Москва Торговля"})) << "Cyrillic in upper case";
    EXPECT_EQ(found("moskva torg"), (Names{"Москва Торговля"}));
    EXPECT_EQ(found("dang thi vesp"), (Names{"Đặng Thị Vesperal"})) << "Vietnamese, stacked accents and đ";
}

TEST_F(ContactsSearchExport, ShortQueriesOfOneAndTwoCharactersStillMatch) {
    createContact({{"name", "Xq Short"}, {"tags", {"shortq"}}});
    createContact({{"name", "Other Short"}, {"tags", {"shortq"}}});
    const std::string only = "&" + filter("tags", "contains", "shortq");
    EXPECT_EQ(found("xq", only), (Names{"Xq Short"}));
    EXPECT_EQ(found("XQ", only), (Names{"Xq Short"}));
    EXPECT_EQ(found("q", only), (Names{"Xq Short"}));
    EXPECT_EQ(found("o", only), (Names{"Xq Short", "Other Short"}));
    EXPECT_TRUE(found("zz", only).empty());
}

TEST_F(ContactsSearchExport, QuotesOperatorsAndInjectionStringsAreMatchedLiterally) {
    const std::string odd = R"(Odd O'Hara "Fox" 100%_off \path* NEAR(a b) -x ^y)";
    createContact({{"name", odd}, {"tags", {"oddq"}}});
    createContact({{"name", "Odd Plain Neighbour"}, {"tags", {"oddq"}}});
    for (const std::string q : {"o'hara", "\"fox\"", "100%_off", "\\path*", "near(a b)", "-x ^y", "\"fox\" 100", "\"", "\\"})
        EXPECT_EQ(found(q), (Names{odd})) << q;
    for (const std::string q : {"'; DROP TABLE contacts_contacts; --", "\" OR \"\"=\"", "* OR 1=1", "%%%",
                                "__", "fox AND neighbour", "NEAR(odd plain)", "\\\\", "x\" OR name MATCH \"a"})
        EXPECT_TRUE(found(q).empty()) << q;
    // Only ASCII wildcards of LIKE are escaped: % and _ match themselves, not anything.
    EXPECT_TRUE(found("100%off").empty());
    EXPECT_EQ(found("odd", "&" + filter("tags", "contains", "oddq")), (Names{odd, "Odd Plain Neighbour"}));
    auto too_long = call("GET", "/api/v1/contacts?q=" + std::string(201, 'a'));
    EXPECT_EQ(too_long.status, 400);
    EXPECT_TRUE(too_long.json()["error"]["fields"].contains("q")) << too_long.body;
    auto bad_utf8 = call("GET", "/api/v1/contacts?q=%C3%28");
    EXPECT_EQ(bad_utf8.status, 400) << bad_utf8.body;
    auto nul = call("GET", "/api/v1/contacts?q=a%00b");
    EXPECT_EQ(nul.status, 400) << nul.body;
    EXPECT_TRUE(nul.json()["error"]["fields"].contains("q")) << nul.body;
    EXPECT_EQ(call("GET", "/api/v1/contacts/export?q=%00").status, 400);
    EXPECT_EQ(call("GET", "/api/v1/contacts").status, 200) << "the table is still there";
}

TEST_F(ContactsSearchExport, IndexFollowsUpdatesDeletesAndCompanyRenames) {
    auto c = createContact({{"name", "Brindlewick Tamsin"}});
    auto co = createCompany({{"name", "Sprocketeer Holdings"}});
    EXPECT_EQ(found("brindlewick"), (Names{"Brindlewick Tamsin"}));

    auto patched = call("PATCH", "/api/v1/contacts/" + c["id"].get<std::string>(),
                        {{"name", "Featherstonehaugh Tamsin"}, {"company_id", co["id"]}},
                        {{"If-Match", "\"" + std::to_string(c["version"].get<int>()) + "\""}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_TRUE(found("brindlewick").empty()) << "the old name is gone from the index";
    EXPECT_EQ(found("featherstone"), (Names{"Featherstonehaugh Tamsin"}));
    EXPECT_EQ(found("sprocketeer"), (Names{"Featherstonehaugh Tamsin"}));

    auto renamed = call("PATCH", "/api/v1/companies/" + co["id"].get<std::string>(), {{"name", "Gimbalwright Ltd"}},
                        {{"If-Match", "\"1\""}});
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_TRUE(found("sprocketeer").empty());
    EXPECT_EQ(found("gimbalwright"), (Names{"Featherstonehaugh Tamsin"}));

    const auto current = patched.json();
    auto deleted = call("DELETE", "/api/v1/contacts/" + c["id"].get<std::string>(), nullptr,
                        {{"If-Match", "\"" + std::to_string(current["version"].get<int>()) + "\""}});
    ASSERT_EQ(deleted.status, 204) << deleted.body;
    EXPECT_TRUE(found("featherstone").empty());
    EXPECT_TRUE(found("gimbalwright").empty());
}

TEST_F(ContactsSearchExport, RowsFoundBeforeAndAfterTheIndexTakesThemInBatches) {
    // On SQLite, writes wait in a pending table until a batch of them is indexed at once;
    // 300 imported rows cross that batch size several times. Search must not tell the difference.
    std::string csv = "name,email\r\n";
    for (int i = 0; i < 300; ++i)
        csv += "Quendrith " + std::to_string(1000 + i) + ",q" + std::to_string(i) + "@quendrith.test\r\n";
    auto imported = raw("POST", "/api/v1/contacts/import", csv, "text/csv");
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(found("quendrith").size(), 200u) << "a full page of the 300";
    EXPECT_EQ(found("quendrith 1007"), (Names{"Quendrith 1007"})) << "an early row, indexed by now";
    EXPECT_EQ(found("quendrith 1299"), (Names{"Quendrith 1299"})) << "the last row, maybe still pending";
    if (!host_->onPostgres()) {
        const auto pending = host_->tenantSql("acme", "SELECT count(*) FROM contacts_contacts_search_pending");
        EXPECT_LT(std::stoi(*pending.at(0).at(0)), 64);
    }

    // Renaming and deleting rows that are already in the index.
    auto early = call("GET", "/api/v1/contacts?limit=1&q=" + enc("quendrith 1003")).json()["data"].at(0);
    auto renamed = call("PATCH", "/api/v1/contacts/" + id(early), {{"name", "Vorlaine Renamed"}},
                        {{"If-Match", "\"" + std::to_string(early["version"].get<int>()) + "\""}});
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_TRUE(found("quendrith 1003").empty());
    EXPECT_EQ(found("vorlaine"), (Names{"Vorlaine Renamed"}));
    auto gone = call("GET", "/api/v1/contacts?limit=1&q=" + enc("quendrith 1004")).json()["data"].at(0);
    ASSERT_EQ(call("DELETE", "/api/v1/contacts/" + id(gone), nullptr,
                   {{"If-Match", "\"" + std::to_string(gone["version"].get<int>()) + "\""}})
                  .status,
              204);
    EXPECT_TRUE(found("quendrith 1004").empty());
    EXPECT_EQ(found("quendrith 10").size(), 98u) << "1000-1099 less the renamed and the deleted";
}

TEST_F(ContactsSearchExport, SearchPagesWithCursorsAndCombinesWithSort) {
    for (int i = 0; i < 7; ++i) createContact({{"name", "Pagequill " + std::to_string(i)}});
    std::vector<std::string> seen;
    std::string cursor;
    for (int pages = 0; pages < 5; ++pages) {
        auto r = call("GET", "/api/v1/contacts?q=pagequill&limit=3&sort=-name" +
                                 (cursor.empty() ? "" : "&cursor=" + enc(cursor)));
        ASSERT_EQ(r.status, 200) << r.body;
        const Json j = r.json();
        for (const auto& c : j["data"]) seen.push_back(c["name"].get<std::string>());
        if (j["next_cursor"].is_null()) break;
        cursor = j["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"Pagequill 6", "Pagequill 5", "Pagequill 4", "Pagequill 3",
                                              "Pagequill 2", "Pagequill 1", "Pagequill 0"}));
}

TEST_F(ContactsSearchExport, CsvExportIsStreamedChunkedWithEveryRowOnceInOrder) {
    importRows("streamcsv");
    auto r = call("GET", "/api/v1/contacts/export?sort=name&" + filter("tags", "contains", "streamcsv"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("transfer-encoding"), "chunked");
    EXPECT_TRUE(r.complete) << "the body ends with its last chunk";
    EXPECT_EQ(r.header("content-type").rfind("text/csv", 0), 0u);
    EXPECT_NE(r.header("content-disposition").find("contacts.csv"), std::string::npos);
    EXPECT_FALSE(r.header("x-request-id").empty());
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < r.body.size()) {
        const auto end = r.body.find("\r\n", start);
        ASSERT_NE(end, std::string::npos) << "every line ends with CRLF";
        lines.push_back(r.body.substr(start, end - start));
        start = end + 2;
    }
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(kExportRows) + 1);
    EXPECT_EQ(lines[0].rfind("id,name,email,", 0), 0u);
    for (int i = 0; i < kExportRows; ++i) {
        const std::string& line = lines[static_cast<std::size_t>(i) + 1];
        EXPECT_NE(line.find(",Streamrow " + std::to_string(100000 + i) + ","), std::string::npos) << line;
    }
}

TEST_F(ContactsSearchExport, JsonExportIsOneArrayOfTheRestRepresentation) {
    importRows("streamjson");
    auto r = call("GET", "/api/v1/contacts/export?format=json&sort=-name&" + filter("tags", "contains", "streamjson"));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.header("content-type"), "application/json");
    const Json items = r.json();
    ASSERT_TRUE(items.is_array()) << r.body.substr(0, 500);
    ASSERT_EQ(items.size(), static_cast<std::size_t>(kExportRows));
    std::set<std::string> ids;
    for (const auto& item : items) ids.insert(item["id"].get<std::string>());
    EXPECT_EQ(ids.size(), items.size());
    EXPECT_EQ(items[0]["name"], "Streamrow " + std::to_string(100000 + kExportRows - 1));
    EXPECT_EQ(items[0]["tags"], Json::array({"streamjson"}));
    EXPECT_TRUE(items[0].contains("created_at") && items[0].contains("version"));

    auto searched = call("GET", "/api/v1/contacts/export?format=json&q=row17&" + filter("tags", "contains", "streamjson"));
    ASSERT_EQ(searched.status, 200);
    EXPECT_EQ(searched.json().size(), 11u) << "row17, row170..row179";
    // More than 1,000 candidates: on SQLite the search walks the sort order instead of
    // asking the FTS table; the answer must not change.
    auto common = call("GET", "/api/v1/contacts/export?format=json&q=STREAMROW&" + filter("tags", "contains", "streamjson"));
    EXPECT_EQ(common.json().size(), static_cast<std::size_t>(kExportRows));
    auto page = call("GET", "/api/v1/contacts?limit=5&sort=name&q=streamrow%201000&" + filter("tags", "contains", "streamjson"));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.json()["data"].size(), 5u) << "Streamrow 100000..100004";
    EXPECT_EQ(page.json()["data"][0]["name"], "Streamrow 100000");
    auto empty = call("GET", "/api/v1/contacts/export?format=json&q=nothing-matches-this");
    EXPECT_EQ(empty.json(), Json::array());
}

TEST_F(ContactsSearchExport, BadExportRequestsAreRefusedBeforeStreaming) {
    auto format = call("GET", "/api/v1/contacts/export?format=xml");
    EXPECT_EQ(format.status, 400);
    EXPECT_EQ(format.header("transfer-encoding"), "");
    EXPECT_TRUE(format.json()["error"]["fields"].contains("format")) << format.body;
    auto param = call("GET", "/api/v1/contacts/export?colour=red");
    EXPECT_EQ(param.status, 400);
    EXPECT_TRUE(param.json()["error"]["fields"].contains("colour")) << param.body;
    auto op = call("GET", "/api/v1/contacts/export?" + filter("name", "like", "x"));
    EXPECT_EQ(op.status, 400);
    auto cursor = call("GET", "/api/v1/contacts/export?cursor=garbage");
    EXPECT_EQ(cursor.status, 400);
}

TEST_F(ContactsSearchExport, ClientsHangingUpMidExportLeaveTheHostServing) {
    importRows("hangup");
    const std::string request = "GET /api/v1/contacts/export?" + filter("tags", "contains", "hangup") +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: acme\r\nAuthorization: Bearer " +
                                host_->ownerToken("acme") + "\r\n\r\n";
    // More hang-ups than the tenant has pooled connections: a leaked connection would
    // turn the requests below into 503s.
    for (int i = 0; i < 8; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        ASSERT_GE(fd, 0);
        const int small = 4096;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(host_->port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
        char buf[512];
        EXPECT_GT(::recv(fd, buf, sizeof buf, 0), 0) << "the export starts at once";
        ::close(fd);
    }
    for (int i = 0; i < 6; ++i) {
        auto r = call("GET", "/api/v1/contacts/export?format=json&" + filter("tags", "contains", "hangup"));
        ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
        EXPECT_TRUE(r.complete);
        EXPECT_EQ(r.json().size(), static_cast<std::size_t>(kExportRows));
    }
    EXPECT_EQ(call("GET", "/api/v1/contacts?limit=1").status, 200);
}

}  // namespace
}  // namespace tessera::plugins::contacts::test
