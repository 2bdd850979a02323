#include <tessera/sdk/rest/errors.hpp>

#include <tessera/sdk/rest/validation.hpp>

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
    if (auto problem = textProblem(*it, max, false)) invalidField(field, *problem);
    return it->get<std::string>();
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
