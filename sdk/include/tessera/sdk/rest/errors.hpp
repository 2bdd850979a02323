#pragma once
/// The error shapes of docs/api.md as one-liners: 422 validation_failed carrying every
/// field problem at once, and 400 invalid_query naming the offending parameter. Part of
/// tessera_sdk_rest.

#include <initializer_list>
#include <string>
#include <string_view>

#include <tessera/sdk/http.hpp>

namespace tessera::sdk::rest {

/// Throws ApiError 422 "validation_failed" carrying `errors` (field -> problem) when it
/// is not empty; does nothing otherwise.
void throwIfInvalid(const Json& errors);

/// Throws ApiError 400 "invalid_query" naming `param` and what is wrong with it.
[[noreturn]] void badQuery(const std::string& param, const std::string& problem);

/// Refuses query parameters other than `allowed` with 400 invalid_query, the way unknown
/// body fields are refused.
void allowOnlyParams(const Request& req, std::initializer_list<std::string_view> allowed);

}  // namespace tessera::sdk::rest
