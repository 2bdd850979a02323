#pragma once
/// The REST conventions of docs/api.md as small helpers: ETags and If-Match, the 422
/// body, 400 invalid_query, limits and opaque cursors, UTF-8 length caps.
///
/// These mirror helpers of the contacts plugin (records.cpp, validation.cpp, text.cpp);
/// plugins share only the SDK, so each keeps its own small copy until such helpers move
/// into the SDK.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <tessera/sdk.hpp>

namespace tessera::plugins::deals {

inline constexpr std::size_t kDefaultLimit = 50;
inline constexpr std::size_t kMaxLimit = 200;

/// Number of code points in UTF-8 text; length caps count characters, not bytes.
std::size_t utf8Length(std::string_view text);

/// The strong ETag of an item's version, e.g. "\"3\"".
std::string etagOf(const sdk::Json& item);

/// Throws 412 precondition_failed when the request's If-Match (a list of tags, or "*")
/// does not match `item`'s ETag.
void checkIfMatch(const sdk::Request& req, const sdk::Json& item);

/// A JSON response for `item` with its ETag header.
sdk::Response itemResponse(const sdk::Json& item, int status = 200);

/// GET answer: 304 when If-None-Match equals the item's ETag, the item otherwise.
sdk::Response getResponse(const sdk::Request& req, const sdk::Json& item);

/// Throws 422 validation_failed carrying `errors` if it is not empty.
void throwIfInvalid(const sdk::Json& errors);

/// Throws 400 invalid_query naming `param`.
[[noreturn]] void badQuery(const std::string& param, const std::string& problem);

/// `limit` parameter: 1..kMaxLimit; throws 400 otherwise.
std::size_t parseLimit(const std::string& value);

/// Opaque cursor text for a JSON value, and back (nullopt when it is not one of ours).
std::string encodeCursor(const sdk::Json& state);
std::optional<sdk::Json> decodeCursor(const std::string& text);

/// Refuses query parameters other than `allowed` with 400, like unknown body fields.
void allowOnlyParams(const sdk::Request& req, std::initializer_list<std::string_view> allowed);

/// The caller's id for "who" columns, or NULL for anonymous/system calls without one.
sdk::Value actorOf(sdk::TenantScope& scope);

}  // namespace tessera::plugins::deals
