#pragma once
/// How `filter[tags][contains]=T` finds its contacts. Two ways give the same rows:
/// - testing each contact's tags while walking the list's sort order, which stops once a
///   page is full: cheap when T is common, but it passes every contact without T, so for
///   a rare T it may walk the whole table (50 ms on 100,000 contacts);
/// - fetching T's contacts from contacts_contact_tags (kept by triggers, migration 0007)
///   and sorting them: a cost in proportion to how many carry T.

#include <cstdint>
#include <string>

#include <tessera/sdk.hpp>

namespace tessera::plugins::contacts {

/// The condition on contacts_contacts that fetches `tag`'s contacts from the tag table,
/// with its parameter appended to `params`, or "" when walking the sort order is the
/// better plan (the SDK's default for a JSON array column).
std::string tagLookupCondition(std::int64_t tenant_id, const std::string& tag, sdk::Database& db,
                               sdk::Params& params);

}  // namespace tessera::plugins::contacts
