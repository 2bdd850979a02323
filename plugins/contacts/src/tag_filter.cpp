#include "tag_filter.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace tessera::plugins::contacts {
namespace {

// The plan. A page of 51 found by walking passes 51·N/n contacts on average when n of N
// carry the tag; the lookup fetches and sorts all n, each about 9 times the cost of a
// walked row (measured in the host on SQLite: 3.4 against 0.38 µs). Tags are seldom spread
// evenly in time (an import, a campaign), so the walk is given a tenfold handicap for
// that. The lookup wins while 9·n² < 10·51·N, about n < 7·√N: 700 tags among 10,000
// contacts, 2,400 among 116,000. Neither engine can weigh this itself: SQLite keeps no
// statistics, and PostgreSQL's planner assumes the tag evenly spread (it walked 114,000
// rows for a tag on the oldest 2,000 of 116,000 contacts: 175 ms, against 6 for the
// lookup).
std::size_t lookupLimit(double contacts) {
    // PostgreSQL's estimate is -1 until the table is first analysed.
    constexpr std::size_t kUnknownTableLimit = 1000;
    return contacts > 0 ? static_cast<std::size_t>(7 * std::sqrt(contacts)) + 1 : kUnknownTableLimit;
}

bool tagIsRare(const std::string& tag, sdk::Database& db) {
    const bool pg = db.engine() == sdk::Engine::Postgres;
    // SQLite: rowids only grow, so the largest is a count that costs nothing. PostgreSQL:
    // the planner's estimate.
    const auto total = db.queryOne(pg ? "SELECT CAST(reltuples AS DOUBLE PRECISION) FROM pg_class "
                                        "WHERE oid = to_regclass('contacts_contacts')"
                                      : "SELECT CAST(coalesce(max(rowid), 0) AS REAL) FROM contacts_contacts");
    const std::size_t limit = lookupLimit(total ? total->at(0).asReal() : -1);
    return !db.queryOne("SELECT 1 FROM contacts_contact_tags WHERE tag = ? LIMIT 1 OFFSET " +
                            std::to_string(limit - 1),
                        {tag});
}

// Counting up to 7·√N tags costs up to a tenth of a filtered page, so the choice is kept
// for a minute per tenant and tag, like a database's plan cache. A stale choice only
// costs time: both plans answer the same rows.
class PlanCache {
public:
    bool tagIsRare(std::int64_t tenant_id, const std::string& tag, sdk::Database& db) {
        const auto now = std::chrono::steady_clock::now();
        std::string key = std::to_string(tenant_id) + ':' + tag;
        {
            std::lock_guard lock(mutex_);
            if (auto it = plans_.find(key); it != plans_.end() && it->second.until > now) return it->second.rare;
        }
        const bool rare = contacts::tagIsRare(tag, db);
        std::lock_guard lock(mutex_);
        if (plans_.size() >= kMaxPlans) plans_.clear();
        plans_[std::move(key)] = {rare, now + kKeepFor};
        return rare;
    }

private:
    static constexpr std::size_t kMaxPlans = 10000;
    static constexpr std::chrono::seconds kKeepFor{60};
    struct Plan {
        bool rare;
        std::chrono::steady_clock::time_point until;
    };
    std::mutex mutex_;
    std::unordered_map<std::string, Plan> plans_;
};

}  // namespace

std::string tagLookupCondition(std::int64_t tenant_id, const std::string& tag, sdk::Database& db,
                               sdk::Params& params) {
    static PlanCache plans;
    if (!plans.tagIsRare(tenant_id, tag, db)) return "";
    params.push_back(tag);
    // PostgreSQL would turn IN (subquery) into a join and plan it from its own estimates;
    // an array is fetched first, then its rows by primary key.
    return db.engine() == sdk::Engine::Postgres
               ? "id = ANY (ARRAY (SELECT contact_id FROM contacts_contact_tags WHERE tag = ?))"
               : "id IN (SELECT contact_id FROM contacts_contact_tags WHERE tag = ?)";
}

}  // namespace tessera::plugins::contacts
