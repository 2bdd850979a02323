#include "http/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>

#include <sys/resource.h>
#include <unistd.h>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>
#include <pistache/peer.h>
#include <spdlog/spdlog.h>

#include "http/connection.hpp"
#include "http/dispatcher.hpp"
#include "http/request_head.hpp"
#include "http/response_writer.hpp"
#include "http/router.hpp"

namespace tessera::host {

using namespace Pistache;

namespace {

struct Shared {
    Executor* executor = nullptr;
    std::size_t max_header_bytes = 0;
    std::size_t max_body_bytes = 0;
    std::chrono::milliseconds header_timeout{30'000};
    std::chrono::milliseconds body_timeout{60'000};
    // Every open connection, for the timeout sweep (HttpServer::start).
    std::mutex connections_mutex;
    std::vector<std::weak_ptr<Connection>> connections;
    HttpServer::Handle handle;
    std::atomic<bool> draining{false};
    std::atomic<long> in_flight{0};
    std::mutex mutex;
    std::condition_variable idle;

    void finished() {
        if (in_flight.fetch_sub(1) == 1) {
            std::lock_guard lock(mutex);
            idle.notify_all();
        }
    }
};

// Where the request at the start of `bytes` ends, as framed by the headers the parser
// read: its Content-Length or its chunked body. bytes.size() if that cannot be told.
std::size_t requestEnd(std::string_view bytes, const Http::Request& request, std::size_t max_body_bytes) {
    const auto at = bodyStart(bytes);
    if (at == std::string_view::npos) return bytes.size();
    if (const auto length = request.headers().tryGet<Http::Header::ContentLength>())
        return std::min<std::size_t>(bytes.size(), at + length->value());
    if (!request.headers().tryGet<Http::Header::TransferEncoding>()) return at;
    const auto body = chunkedBody(bytes.substr(at), max_body_bytes);
    return body.status == ChunkedStatus::complete ? at + body.length : bytes.size();
}

constexpr const char* kConnection = "tessera.connection";

HttpResponse jsonError(int status, const std::string& code, const std::string& message,
                       const sdk::Json& fields = sdk::Json::object()) {
    return Dispatcher::error(status, code, message, newRequestId(), fields);
}

// Writes one request's answer, from whichever thread has it; then the connection may take
// its next request, and the server counts this one done.
struct Answer {
    std::shared_ptr<Shared> shared;
    std::weak_ptr<Tcp::Peer> peer;
    std::shared_ptr<Connection> connection;
    bool http11 = true;
    bool head_only = false;
    bool keep_alive = true;

    void operator()(HttpResponse response) const {
        // The request stays in flight until its answer is on the wire: a drain that ended
        // when the handler returned would shut the transport down under an unsent answer.
        auto done = [shared = shared] { shared->finished(); };
        try {
            if (response.stream_body) {
                sendStreamed(*connection, http11, head_only, response);
                connection->answered();
                return done();
            }
            // Before the write, as Pistache does: once the client has the answer it may
            // send the next request, which must not be taken for idle. An idle
            // connection is closed quietly at Pistache's keep-alive timeout.
            if (const auto open = peer.lock()) open->setIdle(true);
            sendWhole(*shared->executor, connection, http11, keep_alive, head_only, response, done);
        } catch (const std::exception& e) {
            spdlog::debug("could not send response: {}", e.what());
            connection->answered();
            done();
        }
    }
};

// Answers 408, then closes, each connection whose request has not all arrived in time,
// or that sent none at all. (Pistache's own header timeout wrote an empty 408 through its
// writer, outside the one write path; it is turned off.)
void answerTimeouts(Shared& shared) {
    const auto now = Connection::sinceEpochMs(std::chrono::steady_clock::now());
    std::vector<std::shared_ptr<Connection>> late;
    {
        std::lock_guard lock(shared.connections_mutex);
        std::erase_if(shared.connections, [&](const std::weak_ptr<Connection>& weak) {
            auto connection = weak.lock();
            if (!connection) return true;
            const auto deadline = connection->deadline_ms.load();
            if (deadline != 0 && now > deadline) late.push_back(std::move(connection));
            return false;
        });
    }
    for (const auto& connection : late)
        if (connection->deadline_ms.exchange(0) != 0)
            refuse(*shared.executor, connection, true,
                   jsonError(408, "request_timeout", "the request was not received in time"));
}

class Handler : public Http::Handler {
public:
    HTTP_PROTOTYPE(Handler)

    explicit Handler(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

    // Called by onInput below for each request the connection took (Connection::take).
    void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
        shared_->in_flight.fetch_add(1);
        const auto connection = writer.headers().tryGet<Http::Header::Connection>();
        Answer answer{shared_,
                      writer.getPeer(),
                      connectionOf(writer.getPeer()),
                      request.version() == Http::Version::Http11,
                      request.method() == Http::Method::Head,
                      connection && connection->control() == Http::ConnectionControl::KeepAlive};
        if (shared_->draining.load()) {
            answer.keep_alive = false;
            answer.connection->closing = true;
            answer.connection->closeAfter();
            return answer(jsonError(503, "shutting_down", "the server is shutting down"));
        }
        HttpRequest req;
        try {
            req.method = Http::methodString(request.method());
            req.path = request.resource();
            for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
                auto key = percentDecode(it->first, true);
                auto value = percentDecode(it->second, true);
                if (!key || !value) {
                    const std::string name = percentDecode(it->first, true).value_or("query");
                    return answer(jsonError(400, "invalid_query",
                                            "parameter '" + name + "' is not percent-encoded UTF-8 text",
                                            {{name, "must be percent-encoded UTF-8 text without NUL"}}));
                }
                req.query[*key] = std::move(*value);
            }
            for (const auto& [name, value] : request.headers().rawList()) req.headers[name] = value.value();
            req.body = request.body();
            req.client_address = request.address().host();
        } catch (const std::exception& e) {
            return answer(jsonError(400, "bad_request", "the request could not be read"));
        }
        auto run = [shared = shared_, answer = std::move(answer), req = std::move(req)]() mutable {
            auto answered = std::make_shared<std::atomic<bool>>(false);
            auto once = [answer, answered](HttpResponse response) {
                if (!answered->exchange(true)) answer(std::move(response));
            };
            try {
                shared->handle(req, once);
            } catch (...) {
                once(jsonError(500, "internal_error", "internal error"));
            }
        };
        // Liveness is answered here, without the database: a probe must not wait behind
        // exports that hold every worker (it waited a second under 8 exports).
        if (request.resource() == "/healthz") run();
        else shared_->executor->post(std::move(run));
    }

    // Replaces Http::Handler::onInput, which answers a request it cannot parse with 500
    // and the exception's text (a negative Content-Length gives a libstdc++ message).
    // Here a malformed request is the client's error: a JSON 4xx, and the connection
    // is closed because the rest of the stream cannot be trusted.
    void onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) override {
        auto parser = getParser(peer);
        auto& request = parser->request;
        const auto state = connectionOf(peer);
        // What follows a pipelined request is not answered (see Connection::take): not
        // even a 4xx, which could leave before the answer in progress.
        if (state->closing) return;
        auto reject = [&](int status, const char* code, const std::string& message) {
            refuse(*shared_->executor, state, request.version() == Http::Version::Http11,
                   jsonError(status, code, message));
            parser->reset();
            state->nextRequest();
        };
        auto malformed = [&] {
            if (unsupportedVersion(state->received))
                reject(505, "http_version_not_supported", "this server speaks HTTP/1.0 and HTTP/1.1");
            else
                reject(400, "bad_request", "the request is malformed");
        };
        // Whether the body announced by the complete head can go to Pistache's parser;
        // a chunked body is held back until all of it is here and well formed (see
        // request_head.hpp).
        auto framedBodyArrived = [&] {
            switch (checkBody(state->received, shared_->max_body_bytes, state->chunked)) {
                case BodyCheck::parse:
                    return true;
                case BodyCheck::wait:
                    state->mid_request = true;
                    return false;
                case BodyCheck::ambiguous_framing:
                    reject(400, "bad_request",
                           "the request has Transfer-Encoding twice or with Content-Length: its body's end is ambiguous");
                    return false;
                case BodyCheck::unsupported_coding:
                    reject(501, "unsupported_transfer_encoding", "the only Transfer-Encoding this server reads is chunked");
                    return false;
                case BodyCheck::invalid_length:
                    reject(400, "bad_request", "Content-Length must be one number of bytes");
                    return false;
                case BodyCheck::malformed_chunks:
                    reject(400, "bad_request", "the chunked body is malformed");
                    return false;
                case BodyCheck::too_large:
                    reject(413, "payload_too_large", "the request is larger than this server accepts");
                    return false;
            }
            return false;
        };
        // A request starts with a method token; anything else would only be answered
        // when the header timeout fires.
        if (!state->mid_request && len > 0 && !(buffer[0] >= 'A' && buffer[0] <= 'Z') && buffer[0] != '\r' &&
            buffer[0] != '\n') {
            reject(400, "bad_request", "the request is malformed");
            return;
        }
        try {
            if (!parser->feed(buffer, len)) {
                reject(413, "payload_too_large", "the request is larger than this server accepts");
                return;
            }
            if (state->received.empty()) state->expectHead(shared_->header_timeout);
            state->received.append(buffer, len);
            const HeadStatus head = headStatus(state->received, shared_->max_header_bytes);
            if (head == HeadStatus::malformed_header) {
                reject(400, "bad_request", "a header line has no colon");
                return;
            }
            if (head == HeadStatus::complete) state->expectBody(shared_->body_timeout);
            if (head == HeadStatus::too_large) {
                reject(431, "headers_too_large",
                       "the request line and headers are larger than " + std::to_string(shared_->max_header_bytes) +
                           " bytes (max_header_bytes)");
                return;
            }
            if (head == HeadStatus::complete && !framedBodyArrived()) return;
            const bool done = parser->parse() == Http::Private::State::Done;
            // The whole head is here and the parser still waits for it: it is malformed
            // (no version, a header line without a colon), and waiting would only end in
            // the header timeout's 408.
            if (!done && (head == HeadStatus::stray_lines ||
                          (head == HeadStatus::complete && parser->step()->id() != Http::Private::BodyStep::Id))) {
                malformed();
                return;
            }
            if (!done) {
                state->mid_request = true;
                return;
            }
            const bool more =
                requestEnd(state->received, request, shared_->max_body_bytes) < state->received.size();
            state->nextRequest();
            // Without a Connection header, HTTP/1.1 keeps the connection and HTTP/1.0 closes
            // it (RFC 9112 9.3): answering "close" to every 1.1 client that relies on the
            // default made it reconnect for each request (half the throughput under wrk).
            // An answer marked close is followed by the close itself (RFC 9112 9.6).
            const auto asked = request.headers().tryGet<Http::Header::Connection>();
            const auto fallback = request.version() == Http::Version::Http11 ? Http::ConnectionControl::KeepAlive
                                                                               : Http::ConnectionControl::Close;
            const auto control = more ? Http::ConnectionControl::Close : asked ? asked->control() : fallback;
            const bool last = control == Http::ConnectionControl::Close;
            const bool taken = state->take(last);
            state->closing = last || !taken;
            if (!taken) {
                parser->reset();
                return;
            }
            Http::ResponseWriter response(request.version(), transport(), this, peer);
            request.copyAddress(peer->address());
            response.headers().add<Http::Header::Connection>(control);
            peer->setIdle(false);
            onRequest(request, std::move(response));
            parser->reset();
        } catch (const std::exception&) {
            malformed();
        }
    }

    // A connection that never sends a request is timed out like one that stops half-way.
    void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override {
        // What Http::Handler::onConnection, private in Pistache 0.0.5, does: the parser
        // that onInput feeds, under the name getParser() looks up.
        peer->putData("__Parser", std::make_shared<Http::RequestParser>(getMaxRequestSize()));
        connectionOf(peer)->expectHead(shared_->header_timeout);
    }

private:
    // The connection's state, made on its first use (always on the network thread).
    std::shared_ptr<Connection> connectionOf(const std::shared_ptr<Tcp::Peer>& peer) const {
        auto state = std::static_pointer_cast<Connection>(peer->tryGetData(kConnection));
        if (!state) {
            state = std::make_shared<Connection>(peer->fd());
            peer->putData(kConnection, state);
            std::lock_guard lock(shared_->connections_mutex);
            shared_->connections.push_back(state);
        }
        return state;
    }

    std::shared_ptr<Shared> shared_;
};

// Each connection holds two descriptors (Pistache's and its Connection's duplicate): the
// process may use as many as it is allowed, not only the default soft limit (often 1,024).
void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) spdlog::warn("could not raise the open file limit");
}

}  // namespace

struct HttpServer::Impl {
    const Config& config;
    std::shared_ptr<Shared> shared = std::make_shared<Shared>();
    std::unique_ptr<Http::Endpoint> endpoint;
    std::uint64_t timeout_sweep = 0;
    explicit Impl(const Config& c) : config(c) {}
};

HttpServer::HttpServer(const Config& config, Executor& executor, Handle handle) : impl_(std::make_unique<Impl>(config)) {
    impl_->shared->executor = &executor;
    impl_->shared->max_header_bytes = config.max_header_bytes;
    impl_->shared->max_body_bytes = config.max_body_bytes;
    impl_->shared->header_timeout = config.header_timeout;
    impl_->shared->handle = std::move(handle);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    const std::string& listen = impl_->config.listen;
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("listen address '" + listen + "' must be host:port");
    int port_number = -1;
    try {
        port_number = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
    }
    if (port_number < 0 || port_number > 65535) throw std::runtime_error("listen address '" + listen + "' has a bad port");
    Address address(listen.substr(0, colon), Port(static_cast<uint16_t>(port_number)));
    raiseDescriptorLimit();
    impl_->endpoint = std::make_unique<Http::Endpoint>(address);
    const unsigned threads = std::max(1u, std::min(4u, impl_->shared->executor->workers() / 2));
    auto opts = Http::Endpoint::options()
                    .threads(static_cast<int>(threads))
                    .flags(Tcp::Options::ReuseAddr)
                    .maxRequestSize(impl_->config.max_body_bytes + impl_->config.max_header_bytes)
                    .maxResponseSize(64 * 1024 * 1024)
                    // Ours (answerTimeouts) answer on the one write path; Pistache's never fire.
                    .headerTimeout(std::chrono::hours(24))
                    .bodyTimeout(std::chrono::hours(24));
    impl_->endpoint->init(opts);
    impl_->endpoint->setHandler(Http::make_handler<Handler>(impl_->shared));
    try {
        impl_->endpoint->serveThreaded();
    } catch (const std::exception& e) {
        impl_->endpoint.reset();
        throw std::runtime_error("cannot listen on " + listen + ": " + e.what());
    }
    impl_->timeout_sweep = impl_->shared->executor->every(std::chrono::milliseconds(250),
                                                          [shared = impl_->shared] { answerTimeouts(*shared); });
}

std::uint16_t HttpServer::port() const {
    return impl_->endpoint ? static_cast<std::uint16_t>(impl_->endpoint->getPort()) : 0;
}

void HttpServer::beginDrain() { impl_->shared->draining.store(true); }

bool HttpServer::waitIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->shared->mutex);
    return impl_->shared->idle.wait_for(lock, timeout, [&] { return impl_->shared->in_flight.load() == 0; });
}

void HttpServer::stop() {
    if (!impl_->endpoint) return;
    impl_->shared->executor->cancel(impl_->timeout_sweep);
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
}

}  // namespace tessera::host
