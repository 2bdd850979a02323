#pragma once
/// Optimistic concurrency as docs/api.md describes it: every item carries an integer
/// "version", its strong ETag is that version in quotes, GET honours If-None-Match (304)
/// and writes honour If-Match (412 on a stale tag). Part of tessera_sdk_rest.

#include <cstdint>
#include <string>

#include <tessera/sdk/http.hpp>

namespace tessera::sdk::rest {

/// The strong ETag of an item's "version", e.g. "\"3\"" (0 when the item has none).
std::string etagOf(const Json& item);

/// Throws ApiError 412 "precondition_failed" when the request has an If-Match that does
/// not list `item`'s ETag. If-Match may list several tags; weak tags (W/"3") compare by
/// their opaque part; "*" matches any existing item. No If-Match: nothing is checked.
void checkIfMatch(const Request& req, const Json& item);

/// A JSON response for `item` with its ETag header.
Response itemResponse(const Json& item, int status = 200);

/// The answer to a GET of `item`: 304 with no body when If-None-Match equals its ETag.
Response getResponse(const Request& req, const Json& item);
/// The same for an item already written as JSON text (`json_body`) at `version`.
Response getResponse(const Request& req, std::string json_body, std::int64_t version);

/// 201 with the item, its ETag and `Location: <collection_path>/<item id>`.
Response createdResponse(const Json& item, const std::string& collection_path);

}  // namespace tessera::sdk::rest
