#include "workflows/cron.hpp"

#include <cstring>
#include <stdexcept>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>

namespace tessera::host {
namespace {

std::int64_t readBig(const unsigned char* p, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

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
        return tz;
    }
    if (name.find("..") != std::string::npos || name[0] == '/' || name.size() > 64) return std::nullopt;
    std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bytes = reinterpret_cast<const unsigned char*>(data.data());
    auto header = [&](std::size_t at, std::int64_t c[6]) {
        if (data.size() < at + 44 || std::memcmp(bytes + at, "TZif", 4) != 0) return false;
        for (int i = 0; i < 6; ++i) c[i] = readBig(bytes + at + 20 + 4 * i, 4);
        return true;
    };
    std::int64_t c[6];  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
    if (!header(0, c)) return std::nullopt;
    int tsize = 4;
    std::size_t at = 44;
    if (bytes[4] >= '2') {  // skip the 32-bit block and use the 64-bit one
        at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
        if (!header(at, c)) return std::nullopt;
        at += 44;
        tsize = 8;
    }
    const std::size_t need = at + c[3] * tsize + c[3] + c[4] * 6;
    if (data.size() < need || c[4] < 1) return std::nullopt;
    const std::size_t types_at = at + c[3] * tsize + c[3];
    auto offsetOfType = [&](std::size_t type) {
        return static_cast<std::int32_t>(readBig(bytes + types_at + type * 6, 4));
    };
    tz.initial_ = offsetOfType(0);
    for (std::int64_t i = 0; i < c[3]; ++i) {
        const std::size_t type = bytes[at + c[3] * tsize + i];
        if (type >= static_cast<std::size_t>(c[4])) return std::nullopt;
        tz.transitions_.push_back(readBig(bytes + at + i * tsize, tsize));
        tz.offsets_.push_back(offsetOfType(type));
    }
    return tz;
}

std::int64_t TimeZone::offsetAt(std::int64_t utc) const {
    std::int32_t off = initial_;
    // Transitions are sorted; zones have at most a few hundred.
    for (std::size_t i = 0; i < transitions_.size() && transitions_[i] <= utc; ++i) off = offsets_[i];
    return off;
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
