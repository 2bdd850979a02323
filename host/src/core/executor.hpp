#pragma once
// The host's worker pool (Boost.Asio) and its timers. Request handlers, event
// subscribers and plugin jobs run here, never on the network threads. Asio stays inside
// executor.cpp.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

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
    // Cancels timers, lets queued tasks finish and joins all threads.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    unsigned workers_;
};

}  // namespace tessera::host
