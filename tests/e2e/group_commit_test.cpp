// Concurrent writes through the real host. On SQLite they are committed in groups
// (host/src/tenants/group_commit.hpp); on PostgreSQL one by one. Either way every
// acknowledged write is stored, every refused one leaves nothing behind, and one
// request's failure does not touch the others that share its group.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "host_suite.hpp"

using namespace tessera::test;

namespace {

class GroupCommit : public HostSuite {
protected:
    static long long stored(const std::string& sql) {
        const auto rows = host_->tenantSql("acme", sql);
        return rows.empty() || !rows[0][0] ? -1 : std::stoll(*rows[0][0]);
    }
};

TEST_F(GroupCommit, ConcurrentCreatesAreAllStoredAndRefusedOnesLeaveNothing) {
    const Json taken = created("/api/v1/contacts", {{"name", "Taken Address"}, {"email", "taken@groups.test"}});

    constexpr int kThreads = 8, kPerThread = 30;
    std::mutex mutex;
    std::vector<std::string> created_ids;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::string n = std::to_string(t) + "-" + std::to_string(i);
                HttpResult r;
                switch (i % 3) {
                    case 0:  // valid
                        r = call("POST", "/api/v1/contacts", {{"name", "Grouped " + n}, {"email", "g" + n + "@groups.test"}});
                        if (r.status == 201) {
                            std::lock_guard lock(mutex);
                            created_ids.push_back(r.json()["id"].get<std::string>());
                        } else {
                            ++wrong;
                            ADD_FAILURE() << "create " << n << ": " << r.status << " " << r.body;
                        }
                        break;
                    case 1:  // invalid: 422, nothing written
                        r = call("POST", "/api/v1/contacts", {{"name", "Refused " + n}, {"email", "not an email"}});
                        if (r.status != 422) ++wrong, ADD_FAILURE() << "invalid " << n << ": " << r.status << " " << r.body;
                        break;
                    default:  // duplicate: 409 naming the existing contact
                        r = call("POST", "/api/v1/contacts", {{"name", "Duplicate " + n}, {"email", "taken@groups.test"}});
                        if (r.status != 409 || r.json()["error"]["existing_id"] != taken["id"])
                            ++wrong, ADD_FAILURE() << "duplicate " << n << ": " << r.status << " " << r.body;
                }
            }
        });
    for (auto& th : threads) th.join();
    ASSERT_EQ(wrong.load(), 0);

    const int valid = kThreads * kPerThread / 3;
    ASSERT_EQ(static_cast<int>(created_ids.size()), valid);
    EXPECT_EQ(std::set<std::string>(created_ids.begin(), created_ids.end()).size(), created_ids.size());
    EXPECT_EQ(stored("SELECT count(*) FROM contacts_contacts WHERE email LIKE 'g%@groups.test'"), valid);
    EXPECT_EQ(stored("SELECT count(*) FROM contacts_contacts WHERE name LIKE 'Refused %' OR name LIKE 'Duplicate %'"), 0);
    for (const auto& id : created_ids) EXPECT_EQ(call("GET", "/api/v1/contacts/" + id).status, 200) << id;
    // Each answered write has its audit record, committed with it.
    EXPECT_EQ(stored("SELECT count(*) FROM audit_log WHERE action = 'POST /api/v1/contacts' AND status = 201"), valid + 1);
    EXPECT_EQ(stored("SELECT count(*) FROM audit_log WHERE action = 'POST /api/v1/contacts' AND status IN (409, 422)"),
              kThreads * kPerThread - valid);
}

TEST_F(GroupCommit, ARolledBackImportDoesNotUndoTheCreatesBesideIt) {
    // All or nothing: the last row is invalid, so the import keeps none of its rows while
    // the creates that run at the same time (possibly in the same group) all stay.
    std::string csv = "name,email\r\n";
    for (int i = 0; i < 300; ++i) csv += "Imported " + std::to_string(i) + ",imp" + std::to_string(i) + "@rollback.test\r\n";
    csv += "Broken Row,not-an-email\r\n";

    std::atomic<int> creates_ok{0};
    std::thread writer([&] {
        for (int i = 0; i < 40; ++i)
            if (call("POST", "/api/v1/contacts", {{"name", "Beside " + std::to_string(i)},
                                                  {"email", "beside" + std::to_string(i) + "@rollback.test"}})
                    .status == 201)
                ++creates_ok;
    });
    for (int round = 0; round < 3; ++round) {
        auto r = raw("POST", "/api/v1/contacts/import", csv, "text/csv");
        EXPECT_EQ(r.status, 422) << r.body;
    }
    writer.join();
    EXPECT_EQ(creates_ok.load(), 40);
    EXPECT_EQ(stored("SELECT count(*) FROM contacts_contacts WHERE email LIKE 'imp%@rollback.test'"), 0);
    EXPECT_EQ(stored("SELECT count(*) FROM contacts_contacts WHERE email LIKE 'beside%@rollback.test'"), 40);
    // Search sees the creates and none of the rolled-back rows.
    auto found = call("GET", "/api/v1/contacts?limit=200&q=rollback.test");
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(found.json()["data"].size(), 40u);
}

TEST_F(GroupCommit, ARefusedLoginKeepsItsAuditRecordAndTheThrottleCountsIt) {
    // A 401 is an answer, not a fault: what the handler wrote before it stays.
    const std::string email = TestHost::ownerEmail("acme");
    for (int i = 0; i < 3; ++i) {
        auto r = host_->request("POST", "/api/v1/auth/login", "acme", {{"email", email}, {"password", "wrong"}},
                                {{"Authorization", ""}});
        EXPECT_EQ(r.status, 401) << r.body;
    }
    EXPECT_GE(stored("SELECT count(*) FROM audit_log WHERE action = 'auth.login.failed'"), 3);
}

}  // namespace
