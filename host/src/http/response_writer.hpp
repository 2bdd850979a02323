#pragma once
// The one way the HTTP server writes to a client: straight to the connection's socket
// from the thread that has the answer, whole answers (what the socket does not take at
// once is finished in the background) and streamed ones, refusals and timeouts alike.
// Pistache reads requests; it writes nothing.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/connection.hpp"
#include "http/http_types.hpp"

namespace tessera::host {

class Executor;

// The status line and headers of a response, without the framing headers (the caller
// writes those) and without any header whose name or value could inject another.
std::string responseHead(std::string_view version, const HttpResponse& r);

// Sends a whole response and ends the connection's request (Connection::answered);
// `done` runs once the response is on the wire, or cannot be.
void sendWhole(Executor& executor, const std::shared_ptr<Connection>& connection, bool http11, bool keep_alive,
               bool head_only, const HttpResponse& r, const std::function<void()>& done);

// Answers, then closes, a connection whose input cannot be trusted any more.
void refuse(Executor& executor, const std::shared_ptr<Connection>& connection, bool http11, const HttpResponse& r);

// Runs a streamed response (HttpResponse::stream_body) to the end. Never throws.
void sendStreamed(const Connection& connection, bool http11, bool head_only, HttpResponse& r);

}  // namespace tessera::host
