#pragma once
/// The REST conventions of docs/api.md as billing routes use them: body validation that
/// reports every problem at once (with billing's decimals and currencies), collection
/// lists over the SDK's list query, and the customer check through the contacts service.
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

namespace tessera::plugins::billing {

/// Collects field errors; throw() raises one 422 validation_failed carrying all of them.
class FieldErrors {
public:
    void add(const std::string& field, const std::string& problem) {
        if (!errors_.contains(field)) errors_[field] = problem;
    }
    bool empty() const { return errors_.empty(); }
    bool has(const std::string& field) const { return errors_.contains(field); }
    /// Throws ApiError 422 validation_failed when any error was added.
    void throwIfAny() const;

private:
    sdk::Json errors_ = sdk::Json::object();
};

/// Reads typed fields out of a JSON body, recording what is wrong under the field's name
/// (prefixed with `prefix`, e.g. "lines.0."). Fields outside `writable` are refused as
/// "unknown field", or "is read-only" for the common read-only ones.
class BodyReader {
public:
    BodyReader(const sdk::Json& body, std::set<std::string> writable, FieldErrors& errors, std::string prefix = "");

    bool has(const std::string& name) const { return body_.contains(name); }
    bool isNull(const std::string& name) const { return has(name) && body_.at(name).is_null(); }

    /// A string of at most `max_chars` code points. `required`: must be present and non-null.
    std::optional<std::string> text(const std::string& name, std::size_t max_chars, bool required = false);
    std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max,
                                        bool required = false);
    std::optional<bool> boolean(const std::string& name, bool required = false);
    /// "YYYY-MM-DD" naming a real date.
    std::optional<std::string> date(const std::string& name, bool required = false);
    /// An ISO 4217 code this plugin knows.
    std::optional<std::string> currency(const std::string& name, bool required = false);
    /// One of `allowed`.
    std::optional<std::string> oneOf(const std::string& name, const std::set<std::string>& allowed,
                                     bool required = false);
    /// A decimal given as a string ("1.5") or a JSON number, scaled by 10^decimals and
    /// within [min, max] (scaled). Floats are read through their shortest text, so 0.1 is
    /// exactly one tenth.
    std::optional<std::int64_t> decimal(const std::string& name, int decimals, std::int64_t min, std::int64_t max,
                                        bool required = false);
    /// An amount in minor units: an integer in [min, max].
    std::optional<std::int64_t> amount(const std::string& name, std::int64_t min, bool required = false);

    void error(const std::string& name, const std::string& problem) { errors_.add(prefix_ + name, problem); }
    const sdk::Json& raw(const std::string& name) const { return body_.at(name); }

private:
    const sdk::Json* present(const std::string& name, bool required);

    const sdk::Json& body_;
    FieldErrors& errors_;
    std::string prefix_;
};

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
void checkCustomer(sdk::TenantScope& scope, const std::string& customer_id, FieldErrors& errors);

/// ASCII lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);

}  // namespace tessera::plugins::billing
