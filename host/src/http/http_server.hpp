#pragma once
// The HTTP adapter: the only place that knows the server library (Pistache). It turns
// wire requests into HttpRequest, hands them to the worker pool and writes the reply
// from whichever thread gives it, so database work never blocks a network thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/executor.hpp"
#include "http/http_types.hpp"

namespace tessera::host {

class HttpServer {
public:
    // Called on a pool thread for each request; the reply may come later, from any thread.
    using Handle = std::function<void(HttpRequest&, std::function<void(HttpResponse)> reply)>;

    HttpServer(const Config& config, Executor& executor, Handle handle);
    ~HttpServer();

    // Binds and starts serving. Throws std::runtime_error naming the address on failure.
    void start();
    std::uint16_t port() const;
    // From now on new requests get 503 with Connection: close.
    void beginDrain();
    // Waits until no request is in flight; false on timeout.
    bool waitIdle(std::chrono::milliseconds timeout);
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::host
