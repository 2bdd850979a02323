#pragma once
/// Logging for plugins. The host stamps every line with the plugin id and, where there
/// is one, the tenant and request id; a plugin only supplies the message.

#include <string_view>

namespace tessera::sdk {

enum class LogLevel { Debug, Info, Warn, Error };

/// Thread-safe. Borrowed from the host; do not keep it beyond the call that gave it
/// unless it came from Plugin::start (that one lives until stop()).
class Logger {
public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view message) = 0;

    void debug(std::string_view m) { log(LogLevel::Debug, m); }
    void info(std::string_view m) { log(LogLevel::Info, m); }
    void warn(std::string_view m) { log(LogLevel::Warn, m); }
    void error(std::string_view m) { log(LogLevel::Error, m); }
};

}  // namespace tessera::sdk
