#include "core/logging.hpp"

#include <unistd.h>

#include <cerrno>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tessera::host {

namespace {

// stderr when it is a file, a pipe or the journal. spdlog's console sinks flush every
// line, one write(2) per access-log line, which cost 5 % of a GET's CPU; this sink
// collects lines and writes them at 64 KiB, every second (flush_every) and at once for
// warnings and errors (flush_on), so an error is never behind its context.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    ~BufferedStderrSink() override { writeOut(); }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        buffer_.append(formatted.data(), formatted.size());
        if (buffer_.size() >= kLimit) writeOut();
    }
    void flush_() override { writeOut(); }

private:
    static constexpr std::size_t kLimit = 64 * 1024;

    void writeOut() {
        std::size_t done = 0;
        while (done < buffer_.size()) {
            const auto n = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // nowhere to report a broken stderr
            done += static_cast<std::size_t>(n);
        }
        buffer_.clear();
    }

    std::string buffer_;
};

}  // namespace

void setupLogging(const std::string& level) {
    std::shared_ptr<spdlog::logger> logger;
    if (::isatty(STDERR_FILENO)) {
        logger = spdlog::stderr_color_mt("tessera");
    } else {
        logger = std::make_shared<spdlog::logger>("tessera", std::make_shared<BufferedStderrSink>());
        logger->flush_on(spdlog::level::warn);
        spdlog::flush_every(std::chrono::seconds(1));
    }
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    auto lvl = spdlog::level::from_str(level);
    spdlog::set_level(lvl == spdlog::level::off && level != "off" ? spdlog::level::info : lvl);
}

StampedLogger::StampedLogger(std::string plugin, std::string tenant, std::string request_id) {
    prefix_ = "[" + plugin;
    if (!tenant.empty()) prefix_ += " tenant=" + tenant;
    if (!request_id.empty()) prefix_ += " req=" + request_id;
    prefix_ += "] ";
}

void StampedLogger::log(sdk::LogLevel level, std::string_view message) {
    const auto lvl = level == sdk::LogLevel::Debug  ? spdlog::level::debug
                     : level == sdk::LogLevel::Info ? spdlog::level::info
                     : level == sdk::LogLevel::Warn ? spdlog::level::warn
                                                    : spdlog::level::err;
    spdlog::log(lvl, "{}{}", prefix_, message);
}

}  // namespace tessera::host
