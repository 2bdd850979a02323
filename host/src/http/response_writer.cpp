#include "http/response_writer.hpp"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pistache/http_defs.h>
#include <spdlog/spdlog.h>

#include "core/executor.hpp"

namespace tessera::host {
namespace {

// Writes what the socket takes now without waiting: the number of bytes written, or -1
// if the connection is broken.
ssize_t writeSome(int fd, std::string_view head, std::string_view body) {
    iovec parts[2] = {{const_cast<char*>(head.data()), head.size()}, {const_cast<char*>(body.data()), body.size()}};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = body.empty() ? 1 : 2;
    for (;;) {
        const ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        if (errno != EINTR) return -1;
    }
}

// A client that has not taken any bytes of an answer for this long is treated as gone.
constexpr std::chrono::milliseconds kWriteStall{30'000};

bool sameHeaderName(std::string_view a, std::string_view b) {
    const sdk::CaseInsensitiveLess less;
    return !less(a, b) && !less(b, a);
}

}  // namespace

// The status line and headers of a response, without the framing headers (the caller
// writes those) and without any header whose name or value could inject another.
std::string responseHead(std::string_view version, const HttpResponse& r) {
    std::string head;
    head.reserve(256);
    head.append(version).append(" ").append(std::to_string(r.status)).append(" ");
    head.append(Pistache::Http::codeString(static_cast<Pistache::Http::Code>(r.status))).append("\r\n");
    for (const auto& [name, value] : r.headers) {
        if (sameHeaderName(name, "Content-Length") || sameHeaderName(name, "Transfer-Encoding") ||
            sameHeaderName(name, "Connection"))
            continue;
        if (value.find_first_of("\r\n") != std::string::npos || name.find_first_of("\r\n: ") != std::string::npos)
            continue;
        head.append(name).append(": ").append(value).append("\r\n");
    }
    return head;
}


// A whole response from the thread that produced it, straight to the socket:
// through Pistache, each response went to the network thread's write queue and woke it
// through an eventfd, a second hand-off per request on a machine where every thread
// competes for two cores. What the socket cannot take at once (a slow reader, a large
// page) is written in the background (Executor::writeInBackground), so a worker never
// waits for a client. Ends the connection's request (Connection::answered) and calls
// `done` once the response is on the wire, or cannot be.
void sendWhole(Executor& executor, const std::shared_ptr<Connection>& connection, bool http11, bool keep_alive,
               bool head_only, const HttpResponse& r, const std::function<void()>& done) {
    std::string head = responseHead(http11 ? "HTTP/1.1" : "HTTP/1.0", r);
    head.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    head.append(keep_alive ? "Connection: Keep-Alive\r\n\r\n" : "Connection: Close\r\n\r\n");
    const std::string_view body = head_only ? std::string_view{} : std::string_view{r.body};
    std::size_t sent = 0;
    bool whole = false;
    connection->answerWith([&] {
        const ssize_t n = writeSome(connection->socket, head, body);
        sent = n < 0 ? 0 : static_cast<std::size_t>(n);
        whole = n < 0 || sent == head.size() + body.size();
        return whole;
    });
    if (whole) return done();
    const int fd = ::fcntl(connection->socket, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        connection->answered();
        return done();
    }
    std::string rest;
    if (sent < head.size()) rest.assign(head, sent);
    rest.append(body.substr(sent > head.size() ? sent - head.size() : 0));
    executor.writeInBackground(fd, std::move(rest), kWriteStall, [connection, done](bool) {
        connection->answered();
        done();
    });
}

// Answers, then closes, a connection whose input cannot be trusted any more (a malformed
// request): the answer of a request still being answered goes first, and then only the
// close, since a refusal written now could overtake it.
void refuse(Executor& executor, const std::shared_ptr<Connection>& connection, bool http11, const HttpResponse& r) {
    connection->closing = true;
    if (connection->take(true)) sendWhole(executor, connection, http11, false, false, r, [] {});
}

namespace {

// Sends a streamed body (HttpResponse::stream_body) from the worker thread, writing to
// the socket itself: Pistache's ResponseStream queues every flush without waiting for
// the socket, so a client reading slowly would make the whole body pile up in the event
// loop's queue; here each write waits (poll) until the socket takes it, so memory stays
// at one buffer per response.
// HTTP/1.1 clients get chunked encoding, so a transfer cut short (producer error, client
// too slow) is visibly incomplete; HTTP/1.0 clients get the raw body ended by the close.
class StreamedBody {
public:
    // Enough to amortise the system calls; small enough to hold per response.
    static constexpr std::size_t kChunkBytes = 64 * 1024;

    StreamedBody(const Connection& connection, bool chunked) : fd_(connection.socket), chunked_(chunked) {}

    // Status line and headers, sent before the producer runs so the client starts at once.
    bool begin(const HttpResponse& r) {
        std::string head = responseHead(chunked_ ? "HTTP/1.1" : "HTTP/1.0", r);
        if (chunked_) head += "Transfer-Encoding: chunked\r\n";
        head += "Connection: close\r\n\r\n";
        if (!sendAll(head)) return false;
        // Nothing more is read from this connection: Pistache sees the end of its input
        // and lets go of the peer, so a pipelined request cannot be answered in the
        // middle of this body.
        ::shutdown(fd_, SHUT_RD);
        return true;
    }

    bool write(std::string_view data) {
        if (failed_) return false;
        pending_.append(data);
        return pending_.size() < kChunkBytes || flushPending();
    }

    // The rest of the body and, when chunked, the last chunk.
    bool end() {
        if (failed_ || (!pending_.empty() && !flushPending())) return false;
        return !chunked_ || sendAll("0\r\n\r\n");
    }

    // After the last byte (or a failure): hang up, so the client sees where the body ends.
    void close() { ::shutdown(fd_, SHUT_RDWR); }

private:
    bool flushPending() {
        if (chunked_) {
            char size[24];
            std::snprintf(size, sizeof size, "%zx\r\n", pending_.size());
            pending_.insert(0, size);
            pending_ += "\r\n";
        }
        const bool ok = sendAll(pending_);
        pending_.clear();
        return ok;
    }

    bool sendAll(std::string_view bytes) {
        while (!failed_ && !bytes.empty()) {
            pollfd pfd{fd_, POLLOUT, 0};
            const int ready = ::poll(&pfd, 1, static_cast<int>(kWriteStall.count()));
            if (ready < 0 && errno == EINTR) continue;
            const ssize_t n = ready > 0 && !(pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) ? writeSome(fd_, bytes, {}) : -1;
            if (n < 0) failed_ = true;
            else bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return !failed_;
    }

    int fd_;
    bool chunked_;
    bool failed_ = false;
    std::string pending_;
};

}  // namespace

// Runs a streamed response to the end. Never throws: whatever goes wrong ends with the
// connection closed before the body's end.
void sendStreamed(const Connection& connection, bool http11, bool head_only, HttpResponse& r) {
    StreamedBody body(connection, http11);
    try {
        // HEAD: the head a GET would get, and no body (the producer never runs).
        if (body.begin(r) && !head_only) {
            r.stream_body([&body](std::string_view chunk) { return body.write(chunk); });
            body.end();
        }
    } catch (const std::exception& e) {
        // The dispatcher has logged the plugin's error with its request id.
        spdlog::debug("streamed response aborted: {}", e.what());
    } catch (...) {
        spdlog::debug("streamed response aborted");
    }
    body.close();
    // The producer owns the tenant scope: give its connection back now, on this thread.
    r.stream_body = nullptr;
}

}  // namespace tessera::host
