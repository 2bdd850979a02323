// Cron expressions as workflows write them, and the next run time they give.
#include <cstddef>
#include <cstdint>
#include <string>

#include "workflows/cron.hpp"

using namespace tessera::host;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto utc = TimeZone::load("UTC");
    static const auto sao_paulo = TimeZone::load("America/Sao_Paulo");
    std::string error;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto schedule = CronSchedule::parse(text, error);
    if (!schedule) {
        if (error.empty()) __builtin_trap();  // a refusal always says why
        return 0;
    }
    for (const auto* tz : {&utc, &sao_paulo}) {
        if (!*tz) continue;
        const std::int64_t after = 1'790'000'000;
        if (const auto next = schedule->next(after, **tz); next && *next <= after) __builtin_trap();
    }
    return 0;
}
