#pragma once
/// The error shapes of docs/api.md as one-liners: 422 validation_failed carrying every
/// field problem at once (or naming one field), 400 invalid_query naming the offending
/// parameter, and the checks of a required text field that end in them. Part of
/// tessera_sdk_rest.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <tessera/sdk/http.hpp>

namespace tessera::sdk::rest {

/// Throws ApiError 422 "validation_failed" carrying `errors` (field -> problem) when it
/// is not empty; does nothing otherwise.
void throwIfInvalid(const Json& errors);

/// Throws ApiError 422 "validation_failed" for one field: the message is
/// "<field> <problem>" and `fields` is {field: problem}.
[[noreturn]] void invalidField(const std::string& field, const std::string& problem);

/// The string `body[field]` of 1 to `max` characters; otherwise throws invalidField() with
/// the validation kit's words (validation.hpp): "is required" (missing or null), "must be
/// a string", "must not be empty" or "must be at most <max> characters", for routes that
/// read one field. `body` must be a JSON object.
std::string requiredString(const Json& body, const std::string& field, std::size_t max);

/// Like requiredString(), but a missing or null field is nullopt instead of an error.
std::optional<std::string> optionalString(const Json& body, const std::string& field, std::size_t max);

/// Throws ApiError 400 "invalid_query" naming `param` and what is wrong with it.
[[noreturn]] void badQuery(const std::string& param, const std::string& problem);

/// Refuses query parameters other than `allowed` with 400 invalid_query, the way unknown
/// body fields are refused.
void allowOnlyParams(const Request& req, std::initializer_list<std::string_view> allowed);

}  // namespace tessera::sdk::rest
