#include "core/clock.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace tessera::host {

std::string isoTime(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    if (ms < 0 && ms % 1000) --secs;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];  // room for any int in each field, so the compiler can prove no truncation
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
    return buf;
}

std::optional<std::chrono::system_clock::time_point> parseIsoTime(const std::string& text) {
    int y, mo, d, h, mi, s, n = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6) return std::nullopt;
    int ms = 0;
    std::size_t i = static_cast<std::size_t>(n);
    if (i < text.size() && text[i] == '.') {
        int digits = 0;
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
            if (digits++ < 3) ms = ms * 10 + (text[i] - '0');
        while (digits++ < 3) ms *= 10;
    }
    if (i >= text.size() || text[i] != 'Z' || i + 1 != text.size()) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const std::time_t t = timegm(&tm);
    return std::chrono::system_clock::from_time_t(t) + std::chrono::milliseconds(ms);
}

}  // namespace tessera::host
