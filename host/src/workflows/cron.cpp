#include "workflows/cron.hpp"

#include <chrono>
#include <ctime>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace tessera::host {
namespace {

bool parseField(const std::string& text, int lo, int hi, std::vector<int>& out, std::string& error) {
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
        int step = 1;
        if (auto slash = part.find('/'); slash != std::string::npos) {
            try {
                std::size_t used = 0;
                step = std::stoi(part.substr(slash + 1), &used);
                if (used != part.size() - slash - 1 || step < 1) throw std::invalid_argument("");
            } catch (...) {
                error = "bad step in '" + text + "'";
                return false;
            }
            part = part.substr(0, slash);
        }
        int a = lo, b = hi;
        if (part != "*") {
            auto dash = part.find('-');
            try {
                std::size_t used = 0;
                a = std::stoi(part.substr(0, dash), &used);
                if (used != (dash == std::string::npos ? part.size() : dash)) throw std::invalid_argument("");
                b = a;
                if (dash != std::string::npos) {
                    b = std::stoi(part.substr(dash + 1), &used);
                    if (used != part.size() - dash - 1) throw std::invalid_argument("");
                } else if (step > 1) {
                    b = hi;
                }
            } catch (...) {
                error = "'" + text + "' is not a number, range or list";
                return false;
            }
        }
        if (a < lo || b > hi || a > b) {
            error = "'" + text + "' is outside " + std::to_string(lo) + "-" + std::to_string(hi);
            return false;
        }
        for (int v = a; v <= b; v += step) out.push_back(v);
    }
    if (out.empty()) {
        error = "empty field";
        return false;
    }
    return true;
}

}  // namespace

std::optional<TimeZone> TimeZone::load(const std::string& name) {
    TimeZone tz;
    tz.name_ = name;
    if (name == "UTC" || name == "Etc/UTC" || name.empty()) {
        tz.name_ = "UTC";
        tz.zone_ = cctz::utc_time_zone();
        return tz;
    }
    // Names only: cctz would also read a file named by an absolute or relative path.
    if (name.find("..") != std::string::npos || name[0] == '/' || name.size() > 64) return std::nullopt;
    if (!cctz::load_time_zone(name, &tz.zone_)) return std::nullopt;
    return tz;
}

std::int64_t TimeZone::offsetAt(std::int64_t utc) const {
    return zone_.lookup(std::chrono::system_clock::from_time_t(static_cast<std::time_t>(utc))).offset;
}

std::optional<CronSchedule> CronSchedule::parse(const std::string& expression, std::string& error) {
    std::stringstream ss(expression);
    std::vector<std::string> f{std::istream_iterator<std::string>(ss), std::istream_iterator<std::string>()};
    if (f.size() != 5) {
        error = "expected 5 fields (minute hour day-of-month month day-of-week), got " + std::to_string(f.size());
        return std::nullopt;
    }
    CronSchedule s;
    const int lo[] = {0, 0, 1, 1, 0}, hi[] = {59, 23, 31, 12, 7};
    for (int i = 0; i < 5; ++i) {
        std::vector<int> values;
        if (!parseField(f[i], lo[i], hi[i], values, error)) return std::nullopt;
        for (int v : values) {
            switch (i) {
                case 0: s.minute_.set(v); break;
                case 1: s.hour_.set(v); break;
                case 2: s.dom_.set(v); break;
                case 3: s.month_.set(v); break;
                case 4: s.dow_.set(v == 7 ? 0 : v); break;
            }
        }
    }
    s.dom_any_ = f[2] == "*";
    s.dow_any_ = f[4] == "*";
    return s;
}

std::optional<std::int64_t> CronSchedule::next(std::int64_t after_utc, const TimeZone& tz) const {
    // Walk local wall-clock minutes, skipping whole days and hours that cannot match.
    std::int64_t local = after_utc + tz.offsetAt(after_utc);
    local = (local / 60 + 1) * 60;
    const std::int64_t limit = local + 5LL * 366 * 86400;
    while (local < limit) {
        std::int64_t days = local / 86400;
        std::int64_t secs = local % 86400;
        if (secs < 0) {
            secs += 86400;
            --days;
        }
        // civil from days
        const std::int64_t z = days + 719468;
        const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        const unsigned doe = static_cast<unsigned>(z - era * 146097);
        const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const unsigned mp = (5 * doy + 2) / 153;
        const unsigned d = doy - (153 * mp + 2) / 5 + 1;
        const unsigned m = mp < 10 ? mp + 3 : mp - 9;
        const int wday = static_cast<int>((days % 7 + 11) % 7);  // 1970-01-01 was a Thursday
        const bool dom_ok = dom_.test(d), dow_ok = dow_.test(wday);
        const bool day_ok = (dom_any_ || dow_any_) ? (dom_ok && dow_ok) : (dom_ok || dow_ok);
        if (!month_.test(m) || !day_ok) {
            local = (days + 1) * 86400;
            continue;
        }
        const int hour = static_cast<int>(secs / 3600), minute = static_cast<int>(secs % 3600 / 60);
        if (!hour_.test(hour)) {
            local = days * 86400 + (hour + 1) * 3600;
            continue;
        }
        if (!minute_.test(minute)) {
            local += 60;
            continue;
        }
        // Local -> UTC with the offset in effect then (two passes settle DST changes).
        std::int64_t utc = local - tz.offsetAt(local);
        utc = local - tz.offsetAt(utc);
        if (utc > after_utc) return utc;
        local += 60;
    }
    return std::nullopt;
}

}  // namespace tessera::host
