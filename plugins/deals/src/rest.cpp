#include "rest.hpp"

#include <cstdint>
#include <cstdlib>

namespace tessera::plugins::deals {
namespace {

std::string base64url(const std::string& in) {
    static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buf = (buf << 8) | c;
        bits += 8;
        while (bits >= 6) {
            out += kChars[(buf >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits > 0) out += kChars[(buf << (6 - bits)) & 63];
    return out;
}

std::optional<std::string> unbase64url(const std::string& in) {
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-') v = 62;
        else if (c == '_') v = 63;
        else return std::nullopt;
        buf = (buf << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            out += static_cast<char>((buf >> (bits - 8)) & 0xFF);
            bits -= 8;
        }
    }
    return out;
}

}  // namespace

std::size_t utf8Length(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string etagOf(const sdk::Json& item) { return "\"" + std::to_string(item["version"].get<std::int64_t>()) + "\""; }

void checkIfMatch(const sdk::Request& req, const sdk::Json& item) {
    auto h = req.header("If-Match");
    if (!h) return;
    const std::string current = etagOf(item);
    const std::string& list = *h;
    std::size_t pos = 0;
    while (pos < list.size()) {
        auto end = list.find(',', pos);
        if (end == std::string::npos) end = list.size();
        std::string tag = list.substr(pos, end - pos);
        while (!tag.empty() && tag.front() == ' ') tag.erase(0, 1);
        while (!tag.empty() && tag.back() == ' ') tag.pop_back();
        if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
        if (tag == "*" || tag == current) return;
        pos = end + 1;
    }
    throw sdk::ApiError(412, "precondition_failed",
                        "it was changed since you read it; fetch it again (current ETag " + current + ")");
}

sdk::Response itemResponse(const sdk::Json& item, int status) {
    auto r = sdk::Response::json(item, status);
    r.headers["ETag"] = etagOf(item);
    return r;
}

sdk::Response getResponse(const sdk::Request& req, const sdk::Json& item) {
    auto r = itemResponse(item);
    if (auto inm = req.header("If-None-Match"); inm && *inm == etagOf(item)) {
        r.status = 304;
        r.body.clear();
    }
    return r;
}

void throwIfInvalid(const sdk::Json& errors) {
    if (errors.empty()) return;
    throw sdk::ApiError(422, "validation_failed",
                        errors.size() == 1 ? "1 field is not valid" : std::to_string(errors.size()) + " fields are not valid",
                        errors);
}

void badQuery(const std::string& param, const std::string& problem) {
    throw sdk::ApiError(400, "invalid_query", param + ": " + problem, {{param, problem}});
}

std::size_t parseLimit(const std::string& value) {
    char* end = nullptr;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end || n < 1 || n > static_cast<long>(kMaxLimit))
        badQuery("limit", "must be an integer from 1 to " + std::to_string(kMaxLimit));
    return static_cast<std::size_t>(n);
}

std::string encodeCursor(const sdk::Json& state) { return base64url(state.dump()); }

std::optional<sdk::Json> decodeCursor(const std::string& text) {
    auto decoded = unbase64url(text);
    if (!decoded) return std::nullopt;
    auto j = sdk::Json::parse(*decoded, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

void allowOnlyParams(const sdk::Request& req, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : req.query) {
        bool ok = false;
        for (auto a : allowed) ok = ok || key == a;
        if (!ok) badQuery(key, "unknown query parameter");
    }
}

sdk::Value actorOf(sdk::TenantScope& scope) {
    const auto& p = scope.principal();
    return p.anonymous() ? sdk::Value() : sdk::Value(p.id);
}

}  // namespace tessera::plugins::deals
