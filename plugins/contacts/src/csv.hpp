#pragma once
/// CSV export and import of a collection.
///
/// Columns are the field names of the REST representation: id, name, email, ...;
/// `tags` and multi-select values are joined with ';'; address parts are
/// `address.line1`, ...; custom fields are `custom_fields.<key>`.

#include <tessera/sdk.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

/// GET /api/v1/<plural>/export[?format=csv|json]: every record matching the list filters
/// (filter[...], q, sort) as CSV (the default) or a JSON array of the REST representation.
/// The body is streamed (Response::stream_body) and read in keyset batches, so memory
/// stays bounded whatever the number of rows.
sdk::Response exportCsv(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);

/// POST /api/v1/<plural>/import with a CSV body (header row first). Every row is
/// validated like a POST; rows with problems are reported by row number (the header is
/// row 1). All-or-nothing: any bad row imports nothing (422) unless `?mode=partial`,
/// which imports the good rows and reports the bad ones (200).
sdk::Response importCsv(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);

/// What importing a CSV did. `committed` is false when an all-or-nothing import found
/// bad rows and imported nothing.
struct ImportOutcome {
    std::size_t rows = 0;
    std::size_t imported = 0;
    std::size_t failed = 0;
    sdk::Json errors = sdk::Json::array();  ///< [{row, fields}], the first few bad rows
    bool committed = true;
};

/// The import behind importCsv and `tessera contacts import`: validates the whole text
/// (header row first) and imports it in one transaction by the rules above, telling
/// `progress` (if any) of each row. Throws ApiError 400/422 for text or header problems.
ImportOutcome importCsvText(const ResourceSpec& spec, sdk::TenantScope& scope, const std::string& csv, bool partial,
                            sdk::Progress* progress);

}  // namespace tessera::plugins::contacts
