#include <tessera/sdk/rest/errors.hpp>

namespace tessera::sdk::rest {

void throwIfInvalid(const Json& errors) {
    if (errors.empty()) return;
    throw ApiError(422, "validation_failed",
                   errors.size() == 1 ? "1 field is not valid" : std::to_string(errors.size()) + " fields are not valid",
                   errors);
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
