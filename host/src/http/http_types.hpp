#pragma once
// The request and response as the HTTP adapter hands them to the dispatcher: plain
// data, so that the dispatcher (and its tests) never see the server library.

#include <functional>
#include <map>
#include <string>

#include <tessera/sdk/http.hpp>

namespace tessera::host {

struct HttpRequest {
    std::string method;                        // as sent: "GET", ...
    std::string path;                          // raw, still percent-encoded
    std::map<std::string, std::string> query;  // decoded
    sdk::Headers headers;
    std::string body;
    std::string client_address;
};

struct HttpResponse {
    int status = 200;
    sdk::Headers headers;
    std::string body;
    // When set, replaces `body` (see sdk::Response::stream_body). It owns whatever it
    // needs (the tenant scope): the adapter destroys it once the body is sent.
    std::function<void(const sdk::BodyWriter&)> stream_body;
};

}  // namespace tessera::host
