#pragma once
/// HTTP value types seen by plugin handlers. They carry no server types: a handler can be
/// called from a unit test with a hand-built Request.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <tessera/sdk/json.hpp>
#include <tessera/sdk/version.hpp>

namespace tessera::sdk {

enum class Method { Get, Post, Put, Patch, Delete, Head, Options };

/// "GET", "POST", ... for a Method.
inline const char* methodName(Method m) {
    switch (m) {
        case Method::Get: return "GET";
        case Method::Post: return "POST";
        case Method::Put: return "PUT";
        case Method::Patch: return "PATCH";
        case Method::Delete: return "DELETE";
        case Method::Head: return "HEAD";
        case Method::Options: return "OPTIONS";
    }
    return "?";
}

/// The tenant a request or job runs for. Resolved by the host; a plugin never chooses it.
struct TenantInfo {
    std::int64_t id = 0;
    std::string slug;
    std::string name;
};

/// Who is calling. Empty `id` means anonymous (only possible on public routes).
struct Principal {
    std::string id;
    std::string kind;  ///< "user", "token", "system" or "" (anonymous).
    std::string display_name;
    bool anonymous() const { return id.empty(); }
};

/// Case-insensitive ordering so header lookups ignore case, as HTTP requires.
struct CaseInsensitiveLess {
    bool operator()(std::string_view a, std::string_view b) const {
        const auto n = a.size() < b.size() ? a.size() : b.size();
        for (std::size_t i = 0; i < n; ++i) {
            const auto ca = static_cast<unsigned char>(a[i] | 0x20);
            const auto cb = static_cast<unsigned char>(b[i] | 0x20);
            if (ca != cb) return ca < cb;
        }
        return a.size() < b.size();
    }
    using is_transparent = void;
};

using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

/// An incoming request, after the host has resolved its route and tenant.
/// Immutable for the handler; valid for the duration of the handler call.
struct Request {
    Method method = Method::Get;
    std::string path;                                   ///< Decoded path, without query string.
    std::map<std::string, std::string> path_params;     ///< Values of `{name}` segments.
    std::map<std::string, std::string> query;           ///< Decoded query parameters.
    Headers headers;
    std::string body;
    TenantInfo tenant;
    Principal principal;
    std::string request_id;
    std::string client_address;

    /// Path parameter by name; empty string if the route has no such parameter.
    const std::string& param(const std::string& name) const {
        static const std::string empty;
        auto it = path_params.find(name);
        return it == path_params.end() ? empty : it->second;
    }
    std::optional<std::string> queryParam(const std::string& name) const {
        auto it = query.find(name);
        if (it == query.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::string> header(std::string_view name) const {
        auto it = headers.find(name);
        if (it == headers.end()) return std::nullopt;
        return it->second;
    }
};

/// Receives the next piece of a streamed body (see Response::stream_body). Returns false
/// once the client has gone away or stopped reading; the producer should then return,
/// as everything it writes afterwards is discarded.
using BodyWriter = std::function<bool(std::string_view chunk)>;

/// A response built by a handler. The host adds X-Request-Id and serialises the body.
struct Response {
    int status = 200;
    Headers headers;
    std::string body;  ///< Already serialised; Content-Type says what it is.
    /// A body produced piece by piece instead of `body`, for answers too large to hold
    /// in memory (exports). The host sends status and headers at once, then calls this
    /// on the request's worker thread after the handler has returned and sends what it
    /// writes as it comes (chunked transfer encoding, then the connection is closed);
    /// a write blocks while the client is behind, so memory stays bounded. The handler's
    /// TenantScope (and its Database) stays valid until the producer returns; the
    /// Request does not, so capture what you need by value. An exception thrown here
    /// cannot change the status any more: the host logs it and closes the connection
    /// before the end of the body, so the client sees a truncated transfer, not a
    /// complete-looking one. Validate everything before returning the Response.
    std::function<void(const BodyWriter& write)> stream_body;

    /// A JSON response. `status` defaults to 200.
    static Response json(const Json& value, int status = 200) {
        Response r;
        r.status = status;
        r.headers["Content-Type"] = "application/json";
        r.body = value.dump(-1, ' ', false, Json::error_handler_t::replace);
        return r;
    }
    /// An empty response (204 by default).
    static Response empty(int status = 204) {
        Response r;
        r.status = status;
        return r;
    }
    /// The uniform error body: {"error":{"code","message","fields"}}. The host adds
    /// "request_id". `fields` maps a field name to what is wrong with it.
    static Response error(int status, std::string code, std::string message,
                          const Json& fields = Json::object()) {
        Json body = {{"error", {{"code", std::move(code)}, {"message", std::move(message)}}}};
        if (!fields.empty()) body["error"]["fields"] = fields;
        return json(body, status);
    }
};

/// An expected failure a handler may throw instead of building an error Response;
/// the host turns it into Response::error(status, code, message, fields). Anything
/// else a handler throws is a bug: the client sees a 500 with a request id, never
/// the exception's text.
class TESSERA_API ApiError : public std::exception {
public:
    ApiError(int status, std::string code, std::string message, Json fields = Json::object())
        : status_(status), code_(std::move(code)), message_(std::move(message)),
          fields_(std::move(fields)) {}
    const char* what() const noexcept override { return message_.c_str(); }
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& message() const { return message_; }
    const Json& fields() const { return fields_; }
    Response toResponse() const { return Response::error(status_, code_, message_, fields_); }

private:
    int status_;
    std::string code_;
    std::string message_;
    Json fields_;
};

namespace detail {
// Whether any key or string in `j` holds a NUL character (JSON's \u0000), which no text
// column of either engine can store.
inline bool holdsNul(const Json& j) {
    if (j.is_string()) return j.get_ref<const std::string&>().find('\0') != std::string::npos;
    if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            if (k.find('\0') != std::string::npos || holdsNul(v)) return true;
    }
    if (j.is_array()) {
        for (const auto& v : j)
            if (holdsNul(v)) return true;
    }
    return false;
}
}  // namespace detail

/// Parses the request body as a JSON object. Throws ApiError 400 "invalid_json" when
/// the body is not valid JSON, nests deeper than kMaxJsonDepth or is not an object, so
/// handlers need no parsing code. (The host refuses bodies deeper than its configured
/// `max_json_depth` before any handler runs.)
inline Json parseJsonObject(const Request& request) {
    JsonError error = JsonError::none;
    Json body = parseJson(request.body, &error);
    if (error == JsonError::too_deep)
        throw ApiError(400, "invalid_json",
                       "the request body nests arrays and objects deeper than " + std::to_string(kMaxJsonDepth) +
                           " levels");
    if (body.is_discarded())
        throw ApiError(400, "invalid_json", "the request body is not valid JSON");
    if (!body.is_object())
        throw ApiError(400, "invalid_json", "the request body must be a JSON object");
    if (request.body.find("u0000") != std::string::npos && detail::holdsNul(body))
        throw ApiError(400, "invalid_json", "the request body holds a NUL character (\\u0000), which text cannot contain");
    return body;
}

}  // namespace tessera::sdk
