#pragma once
// Process logging (spdlog) and the sdk::Logger handed to plugins, which stamps each
// line with plugin, tenant and request id.

#include <string>

#include <tessera/sdk/logger.hpp>

namespace tessera::host {

// Sets the level and format of the default logger; unknown levels fall back to info.
void setupLogging(const std::string& level);

class StampedLogger : public sdk::Logger {
public:
    StampedLogger(std::string plugin, std::string tenant = {}, std::string request_id = {});
    void log(sdk::LogLevel level, std::string_view message) override;

private:
    std::string prefix_;
};

}  // namespace tessera::host
