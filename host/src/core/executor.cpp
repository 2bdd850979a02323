#include "core/executor.hpp"

#include <map>
#include <mutex>
#include <thread>

#include <sys/socket.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

namespace tessera::host {

namespace {

class BackgroundWrite;
// The background writes under way, so that a shutdown can end them.
using WritesUnderWay = std::map<BackgroundWrite*, std::shared_ptr<BackgroundWrite>>;

// One background write: the bytes, the descriptor, and a stall timer re-armed whenever
// the peer takes some. Everything runs on the timer thread, one handler at a time.
class BackgroundWrite : public std::enable_shared_from_this<BackgroundWrite> {
public:
    BackgroundWrite(boost::asio::io_context& io, WritesUnderWay& under_way, int fd, std::string bytes,
                    std::chrono::milliseconds stall, std::function<void(bool)> done)
        : socket_(io, fd), timer_(io), under_way_(under_way), bytes_(std::move(bytes)), stall_(stall),
          done_(std::move(done)) {}

    void start() {
        under_way_.emplace(this, shared_from_this());
        next();
    }

    // At shutdown: a write still waiting for its peer fails now rather than at its stall.
    void abandon() {
        abandoned_ = true;
        socket_.cancel();
    }

private:
    void next() {
        if (abandoned_) return finish(false);
        if (sent_ == bytes_.size()) return finish(true);
        // A stall timer that fired while this write completed must not cancel the next.
        const auto attempt = ++attempt_;
        timer_.expires_after(stall_);
        timer_.async_wait([self = shared_from_this(), attempt](const boost::system::error_code& ec) {
            if (!ec && attempt == self->attempt_) self->socket_.cancel();
        });
        socket_.async_write_some(boost::asio::buffer(bytes_.data() + sent_, bytes_.size() - sent_),
                                 [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                                     ++self->attempt_;
                                     self->timer_.cancel();
                                     if (ec) return self->finish(false);
                                     self->sent_ += n;
                                     self->next();
                                 });
    }

    // Runs once, from start() or a handler, each holding a reference: leaving the map
    // does not destroy this object under its own feet.
    void finish(bool ok) {
        if (!ok) ::shutdown(socket_.native_handle(), SHUT_RDWR);
        under_way_.erase(this);
        try {
            done_(ok);
        } catch (...) {
            // The caller's bookkeeping must not stop the timer thread.
        }
    }

    boost::asio::posix::stream_descriptor socket_;
    boost::asio::steady_timer timer_;
    WritesUnderWay& under_way_;
    std::string bytes_;
    std::size_t sent_ = 0;
    std::uint64_t attempt_ = 0;
    bool abandoned_ = false;
    std::chrono::milliseconds stall_;
    std::function<void(bool)> done_;
};

}  // namespace

struct Executor::Impl {
    explicit Impl(unsigned n) : pool(n), guard(boost::asio::make_work_guard(timers)) {
        timer_thread = std::thread([this] { timers.run(); });
    }
    boost::asio::thread_pool pool;
    boost::asio::io_context timers;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard;
    std::thread timer_thread;
    std::mutex mutex;
    std::map<std::uint64_t, std::shared_ptr<boost::asio::steady_timer>> active;
    std::uint64_t next = 1;
    bool stopped = false;
    WritesUnderWay writes;  // touched on the timer thread only

    void arm(std::uint64_t id, std::shared_ptr<boost::asio::steady_timer> timer, std::chrono::milliseconds interval,
             std::shared_ptr<std::function<void()>> task) {
        timer->expires_after(interval);
        timer->async_wait([this, id, timer, interval, task](const boost::system::error_code& ec) {
            if (ec) return;
            {
                std::lock_guard lock(mutex);
                if (stopped || !active.count(id)) return;
            }
            boost::asio::post(pool, [task] { (*task)(); });
            arm(id, timer, interval, task);
        });
    }
};

Executor::Executor(unsigned workers)
    : workers_(workers ? workers : std::max(2u, std::thread::hardware_concurrency())) {
    impl_ = std::make_unique<Impl>(workers_);
}

Executor::~Executor() { stop(); }

void Executor::post(std::function<void()> task) { boost::asio::post(impl_->pool, std::move(task)); }

std::uint64_t Executor::every(std::chrono::milliseconds interval, std::function<void()> task) {
    auto timer = std::make_shared<boost::asio::steady_timer>(impl_->timers);
    std::uint64_t id;
    {
        std::lock_guard lock(impl_->mutex);
        id = impl_->next++;
        impl_->active[id] = timer;
    }
    auto shared = std::make_shared<std::function<void()>>(std::move(task));
    boost::asio::post(impl_->timers, [this, id, timer, interval, shared] { impl_->arm(id, timer, interval, shared); });
    return id;
}

void Executor::cancel(std::uint64_t handle) {
    std::shared_ptr<boost::asio::steady_timer> timer;
    {
        std::lock_guard lock(impl_->mutex);
        auto it = impl_->active.find(handle);
        if (it == impl_->active.end()) return;
        timer = it->second;
        impl_->active.erase(it);
    }
    boost::asio::post(impl_->timers, [timer] { timer->cancel(); });
}

void Executor::writeInBackground(int fd, std::string bytes, std::chrono::milliseconds stall,
                                 std::function<void(bool)> done) {
    auto write = std::make_shared<BackgroundWrite>(impl_->timers, impl_->writes, fd, std::move(bytes), stall,
                                                   std::move(done));
    boost::asio::post(impl_->timers, [write] { write->start(); });
}

void Executor::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return;
        impl_->stopped = true;
        for (auto& [id, timer] : impl_->active) boost::asio::post(impl_->timers, [t = timer] { t->cancel(); });
        impl_->active.clear();
        boost::asio::post(impl_->timers, [impl = impl_.get()] {
            for (const auto& [raw, write] : impl->writes) write->abandon();
        });
    }
    // Let the cancelled waits run to completion rather than stopping the io_context: a
    // handler still queued at destruction would destroy its job then, and a job's code
    // may live in a plugin library that is unloaded by then.
    impl_->guard.reset();
    if (impl_->timer_thread.joinable()) impl_->timer_thread.join();
    impl_->pool.join();
}

}  // namespace tessera::host
