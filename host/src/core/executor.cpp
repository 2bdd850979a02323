#include "core/executor.hpp"

#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

namespace tessera::host {

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

void Executor::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return;
        impl_->stopped = true;
        for (auto& [id, timer] : impl_->active) boost::asio::post(impl_->timers, [t = timer] { t->cancel(); });
        impl_->active.clear();
    }
    // Let the cancelled waits run to completion rather than stopping the io_context: a
    // handler still queued at destruction would destroy its job then, and a job's code
    // may live in a plugin library that is unloaded by then.
    impl_->guard.reset();
    if (impl_->timer_thread.joinable()) impl_->timer_thread.join();
    impl_->pool.join();
}

}  // namespace tessera::host
