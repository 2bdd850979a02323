#include <tessera/sdk/rest/errors.hpp>

namespace tessera::sdk::rest {

void throwIfInvalid(const Json& errors) {
    if (errors.empty()) return;
    throw ApiError(422, "validation_failed",
                   errors.size() == 1 ? "1 field is not valid" : std::to_string(errors.size()) + " fields are not valid",
                   errors);
}

void invalidField(const std::string& field, const std::string& problem) {
    throw ApiError(422, "validation_failed", field + " " + problem, {{field, problem}});
}

std::string requiredString(const Json& body, const std::string& field, std::size_t max) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) invalidField(field, "is required");
    if (!it->is_string()) invalidField(field, "must be a string");
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) invalidField(field, "must not be empty");
    if (s.size() > max) invalidField(field, "must be at most " + std::to_string(max) + " characters");
    return s;
}

std::optional<std::string> optionalString(const Json& body, const std::string& field, std::size_t max) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    return requiredString(body, field, max);
}

void badQuery(const std::string& param, const std::string& problem) {
    throw ApiError(400, "invalid_query", param + ": " + problem, {{param, problem}});
}

void allowOnlyParams(const Request& req, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : req.query) {
        bool ok = false;
        for (auto a : allowed) ok = ok || key == a;
        if (!ok) badQuery(key, "unknown query parameter");
    }
}

}  // namespace tessera::sdk::rest
