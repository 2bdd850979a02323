#include <tessera/sdk/rest/dates.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace tessera::sdk::rest {
namespace {

std::string format(std::chrono::system_clock::time_point tp) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

}  // namespace

std::string nowIso() { return format(std::chrono::system_clock::now()); }

std::string isoSecondsAgo(long seconds) {
    return format(std::chrono::system_clock::now() - std::chrono::seconds(seconds));
}

std::string todayUtc() { return nowIso().substr(0, 10); }

bool validDate(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
    if (m < 1 || m > 12 || d < 1) return false;
    return d <= kMonthDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

bool parseTimestamp(std::string_view s, std::string& normalized) {
    int h = 0, mi = 0, sec = 0, ms = 0;
    if (s.size() < 20 || !validDate(s.substr(0, 10)) || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
    if (!digits(s, 11, 2, h) || !digits(s, 14, 2, mi) || !digits(s, 17, 2, sec)) return false;
    if (h > 23 || mi > 59 || sec > 59) return false;
    std::size_t pos = 19;
    if (s[pos] == '.') {
        std::size_t n = 0;
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 3) ms = ms * 10 + (s[pos] - '0');
            ++n, ++pos;
        }
        if (n == 0) return false;
        for (; n < 3; ++n) ms *= 10;
    }
    if (pos + 1 != s.size() || s[pos] != 'Z') return false;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10sT%02d:%02d:%02d.%03dZ", s.data(), h, mi, sec, ms);
    normalized = buf;
    return true;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic.
long dayNumber(std::string_view date) {
    int y = 0, m = 0, d = 0;
    digits(date, 0, 4, y);
    digits(date, 5, 2, m);
    digits(date, 8, 2, d);
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string dateFromDayNumber(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp + (mp < 10 ? 3 : -9);
    const long y = yoe + era * 400 + (m <= 2);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
    return buf;
}

std::optional<std::int64_t> epochMillis(std::string_view iso) {
    std::string norm;
    if (validDate(iso)) norm = std::string(iso) + "T00:00:00.000Z";
    else if (!parseTimestamp(iso, norm)) return std::nullopt;
    int h = 0, mi = 0, s = 0, ms = 0;
    digits(norm, 11, 2, h), digits(norm, 14, 2, mi), digits(norm, 17, 2, s), digits(norm, 20, 3, ms);
    return ((static_cast<std::int64_t>(dayNumber(norm.substr(0, 10))) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
}

std::string addDays(std::string_view date, long days) { return dateFromDayNumber(dayNumber(date) + days); }

std::string addMonthsAnchored(std::string_view date, int months, int anchor_day) {
    int y = 0, m = 0;
    digits(date, 0, 4, y);
    digits(date, 5, 2, m);
    const int index = y * 12 + (m - 1) + months;
    y = index / 12;
    m = index % 12 + 1;
    const int length = kMonthDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
    const int day = anchor_day < length ? anchor_day : length;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
    return buf;
}

std::string nextMonth(const std::string& month) {
    int y = 0, m = 0;
    digits(month, 0, 4, y), digits(month, 5, 2, m);
    if (++m > 12) m = 1, ++y;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    return buf;
}

}  // namespace tessera::sdk::rest
