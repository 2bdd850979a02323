#pragma once
// The host's worker pool (Boost.Asio), its timers and its background socket writes.
// Request handlers, event subscribers and plugin jobs run here, never on the network
// threads. Asio stays inside executor.cpp.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tessera::host {

class Executor {
public:
    explicit Executor(unsigned workers);
    ~Executor();
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    unsigned workers() const { return workers_; }
    void post(std::function<void()> task);
    // Posts `task` to the pool every `interval` until cancelled; returns a handle.
    std::uint64_t every(std::chrono::milliseconds interval, std::function<void()> task);
    void cancel(std::uint64_t handle);
    // Writes `bytes` to the socket `fd`, a descriptor this call takes over and closes,
    // without holding a worker while the peer is slow to read. A peer that takes nothing
    // for `stall` is hung up on (shutdown), so it sees an incomplete answer rather than
    // a silent end. `done(written_in_full)` runs once, on the timer thread.
    void writeInBackground(int fd, std::string bytes, std::chrono::milliseconds stall, std::function<void(bool)> done);
    // Cancels timers, lets queued tasks finish and joins all threads.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    unsigned workers_;
};

}  // namespace tessera::host
