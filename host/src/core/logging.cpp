#include "core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tessera::host {

void setupLogging(const std::string& level) {
    auto logger = spdlog::stderr_color_mt("tessera");
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
