#include <tessera/sdk/rest/etags.hpp>

#include <cstdint>

namespace tessera::sdk::rest {
namespace {

bool listsTag(const std::string& list, const std::string& current) {
    std::size_t pos = 0;
    while (pos < list.size()) {
        auto end = list.find(',', pos);
        if (end == std::string::npos) end = list.size();
        std::string tag = list.substr(pos, end - pos);
        while (!tag.empty() && tag.front() == ' ') tag.erase(0, 1);
        while (!tag.empty() && tag.back() == ' ') tag.pop_back();
        if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
        if (tag == "*" || tag == current) return true;
        pos = end + 1;
    }
    return false;
}

std::int64_t versionOf(const Json& item) {
    const auto it = item.find("version");
    return it != item.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string etagOfVersion(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace

std::string etagOf(const Json& item) { return etagOfVersion(versionOf(item)); }

void checkIfMatch(const Request& req, const Json& item) {
    auto h = req.header("If-Match");
    if (!h) return;
    const std::string current = etagOf(item);
    if (listsTag(*h, current)) return;
    throw ApiError(412, "precondition_failed",
                   "it was changed since you read it; fetch it again (current ETag " + current + ")");
}

Response itemResponse(const Json& item, int status) {
    auto r = Response::json(item, status);
    r.headers["ETag"] = etagOf(item);
    return r;
}

Response getResponse(const Request& req, const Json& item) {
    return getResponse(req, item.dump(-1, ' ', false, Json::error_handler_t::replace), versionOf(item));
}

Response getResponse(const Request& req, std::string json_body, std::int64_t version) {
    Response r;
    r.headers["Content-Type"] = "application/json";
    r.headers["ETag"] = etagOfVersion(version);
    if (auto inm = req.header("If-None-Match"); inm && listsTag(*inm, r.headers["ETag"])) r.status = 304;
    else r.body = std::move(json_body);
    return r;
}

Response createdResponse(const Json& item, const std::string& collection_path) {
    auto r = itemResponse(item, 201);
    r.headers["Location"] = collection_path + "/" + item["id"].get<std::string>();
    return r;
}

}  // namespace tessera::sdk::rest
