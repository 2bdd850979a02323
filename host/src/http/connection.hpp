#pragma once
// A client connection as the HTTP server sees it: the bytes of the request being
// received, its deadline, and the rule that one request is answered at a time. No
// Pistache here, so it is unit-tested on a socket pair (tests/unit/connection_test.cpp).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "http/request_head.hpp"

namespace tessera::host {

// What the server keeps per client connection, in Pistache's peer data: made on the
// network thread when the connection opens, destroyed with Pistache's peer (or later, by
// whichever answer still holds it).
struct Connection {
    // Pistache closes a connection's descriptor number when the client hangs up or times
    // out, and the next accept may get the same number: writing to the number from a
    // worker could land in another client's connection. This duplicate, taken while the
    // number surely was this connection's, always names this connection's socket. (While
    // it is open the socket is too: it closes once Pistache and every answer let go.)
    int socket = -1;
    // Network thread only: whether the bytes received so far end inside a request, and
    // those bytes, to tell whether more follow the request (see requestEnd), with how far
    // a chunked body in them is read; whether the connection is to close once its answer
    // is out, so nothing more is read from it.
    bool mid_request = false;
    std::string received;
    ChunkedProgress chunked;
    std::chrono::steady_clock::time_point request_began;
    // Set by the network thread and by the timeout sweep.
    std::atomic<bool> closing{false};
    // When the head (or then the body) of the request under way must have arrived, in
    // steady-clock milliseconds; 0 while no request is under way. The timeout sweep
    // answers 408 past it; the network thread sets and clears it.
    std::atomic<std::int64_t> deadline_ms{0};

    // The request in `received` is over (taken or refused): what arrives next starts another.
    void nextRequest() {
        mid_request = false;
        received.clear();
        chunked = {};
        deadline_ms = 0;
    }
    // A request begins (or, for a new connection, is awaited): its head is due within `timeout`.
    void expectHead(std::chrono::milliseconds timeout) {
        request_began = std::chrono::steady_clock::now();
        deadline_ms = sinceEpochMs(request_began + timeout);
    }
    // The head is here: the body is due within `timeout` of the request's start.
    void expectBody(std::chrono::milliseconds timeout) { deadline_ms = sinceEpochMs(request_began + timeout); }
    static std::int64_t sinceEpochMs(std::chrono::steady_clock::time_point t) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    }

    explicit Connection(int fd);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Answers must leave in the order the requests came (RFC 9112 9.3.2), and two requests
    // of one connection on two workers could finish in either order. So a connection
    // carries one request at a time: a request that arrives while another is being
    // answered (a pipelining client) is not taken, and the connection is closed once the
    // first answer is out; the client sends the unanswered ones again, as the RFC asks of
    // it. (Before, Pistache dropped a pipelined request without a word: the client hung.)
    // `closing`: the connection is to close after this answer (the client asked so, or
    // already sent more than this request). False: not taken.
    bool take(bool closing);
    // Ends the taken request if `write`, run under the connection's lock, reports its
    // answer all sent: the client may send its next request the moment it has the
    // answer, and that request must find this one ended, not be taken for pipelined.
    template <typename Write>
    void answerWith(Write write) {
        std::lock_guard lock(mutex_);
        if (write()) endLocked();
    }
    // The taken request's answer is to be the connection's last.
    void closeAfter();
    // Ends the taken request: its answer is out, or cannot be sent.
    void answered();

private:
    void endLocked();

    std::mutex mutex_;
    bool answering_ = false;
    bool close_after_ = false;
};

}  // namespace tessera::host
