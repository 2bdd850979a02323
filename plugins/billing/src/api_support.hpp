#pragma once
/// The REST conventions of docs/api.md as billing routes use them: billing's decimals on
/// top of the SDK's validation kit, collection lists over the SDK's list query, and the
/// customer check through the contacts service.
/// ETags, If-Match and cursors come from the SDK REST helpers (<tessera/sdk/rest/...>).

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/etags.hpp>
#include <tessera/sdk/rest/list_query.hpp>
#include <tessera/sdk/rest/validation.hpp>

namespace tessera::plugins::billing {

/// A decimal given as a string ("1.5") or a JSON number, scaled by 10^decimals and
/// within [min, max] (scaled). Floats are read through their shortest text, so 0.1 is
/// exactly one tenth. Problems are recorded in `in`'s errors like the kit's own readers.
std::optional<std::int64_t> readDecimal(sdk::rest::BodyReader& in, const std::string& name, int decimals,
                                        std::int64_t min, std::int64_t max, bool required = false);

/// GET of a billing collection stored in `table`: filter[...] and sort over `columns`
/// (plus id and created_at, the default sort newest first), cursor pagination, as
/// docs/api.md describes for every list. Answers {"data":[...],"next_cursor":...}.
sdk::Response listRoute(const sdk::Request& req, sdk::Database& db, const std::string& table,
                        std::vector<sdk::rest::ListColumn> columns,
                        const std::function<sdk::Json(const sdk::Row&)>& toJson);
/// The same over `from` (" FROM ...", e.g. narrowed to the caller's own records by
/// ownedFrom() in access.hpp), whose `from_params` come before the list query's.
sdk::Response listRoute(const sdk::Request& req, sdk::Database& db, const std::string& from,
                        const sdk::Params& from_params, std::vector<sdk::rest::ListColumn> columns,
                        const std::function<sdk::Json(const sdk::Row&)>& toJson);

/// Publishes an event; the payload gets "id" of `item` and the item under `key`.
void publish(sdk::TenantScope& scope, const std::string& event, const std::string& key, const sdk::Json& item,
             sdk::Json extra = sdk::Json::object());

/// Checks that `customer_id` names a contact or company of this tenant, through the contacts service.
/// Records "customer_id" errors in `errors`; 503 when the contacts plugin is unavailable.
void checkCustomer(sdk::TenantScope& scope, const std::string& customer_id, sdk::rest::FieldErrors& errors);

/// ASCII lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);

}  // namespace tessera::plugins::billing
