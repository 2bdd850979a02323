#pragma once
/// Nullable columns as JSON, for the row-to-representation code every plugin writes.
/// Part of tessera_sdk_rest.

#include <tessera/sdk/database.hpp>
#include <tessera/sdk/http.hpp>

namespace tessera::sdk::rest {

/// null for SQL NULL, else the value as text.
Json textOrNull(const Value& v);
/// null for SQL NULL, else the value as an integer.
Json intOrNull(const Value& v);

}  // namespace tessera::sdk::rest
