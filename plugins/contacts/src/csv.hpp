#pragma once
/// CSV export and import of a collection.
///
/// Columns are the field names of the REST representation: id, name, email, ...;
/// `tags` and multi-select values are joined with ';'; address parts are
/// `address.line1`, ...; custom fields are `custom_fields.<key>`.

#include <tessera/sdk.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

/// GET /api/v1/<plural>/export: every record matching the list filters (filter[...], q,
/// sort), read with Database::stream so rows are never all held as records at once.
sdk::Response exportCsv(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);

/// POST /api/v1/<plural>/import with a CSV body (header row first). Every row is
/// validated like a POST; rows with problems are reported by row number (the header is
/// row 1). All-or-nothing: any bad row imports nothing (422) unless `?mode=partial`,
/// which imports the good rows and reports the bad ones (200).
sdk::Response importCsv(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::contacts
