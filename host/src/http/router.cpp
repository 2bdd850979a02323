#include "http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <tessera/sdk/rest/text.hpp>

namespace tessera::host {
namespace {

bool isParam(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

// The segment that tells most routes apart: the collection in /api/v1/<collection>/...
std::size_t keyPosition(std::size_t segments) { return std::min<std::size_t>(2, segments - 1); }

constexpr std::string_view kAnySegment = "{}";

std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

}  // namespace

namespace {

// UTF-8 without NUL: what every text column of both engines accepts (PostgreSQL refuses
// invalid sequences and NUL outright), so hostile bytes are refused at the door.
bool storableText(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == 0) return false;
        std::size_t extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 4;
        if (extra == 4 || (extra > 0 && i + extra >= s.size())) return false;
        for (std::size_t k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += extra + 1;
    }
    return true;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view in, bool plus_is_space) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            const int hi = sdk::rest::hexDigitValue(in[i + 1]), lo = sdk::rest::hexDigitValue(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (plus_is_space && in[i] == '+') {
            out += ' ';
        } else {
            out += in[i];
        }
    }
    if (!storableText(out)) return std::nullopt;
    return out;
}

void Router::validatePattern(const std::string& pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route path '" + pattern + "' must start with '/'");
    std::set<std::string> names;
    for (auto seg : splitPath(pattern)) {
        const std::string s(seg);
        if (s.empty() && pattern != "/") throw std::invalid_argument("route path '" + pattern + "' has an empty segment");
        if (s.find_first_of("{}") != std::string::npos) {
            if (!isParam(s) || s.find_first_of("{}", 1) != s.size() - 1)
                throw std::invalid_argument("route path '" + pattern + "': bad parameter segment '" + s + "'");
            if (!names.insert(s).second)
                throw std::invalid_argument("route path '" + pattern + "' repeats parameter " + s);
        }
    }
}

Router::Compiled Router::compile(const std::string& pattern) {
    Compiled c;
    for (auto seg : splitPath(pattern)) {
        c.segments.emplace_back(seg);
        if (!isParam(c.segments.back())) ++c.literals;
    }
    return c;
}

const RouteEntry* Router::conflicting(const sdk::Route& route) const {
    const Compiled mine = compile(route.path);
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (routes_[i].route.method != route.method) continue;
        const Compiled& other = compiled_[i];
        if (other.segments.size() != mine.segments.size()) continue;
        bool same_shape = true;
        for (std::size_t s = 0; s < mine.segments.size() && same_shape; ++s) {
            const bool p1 = isParam(mine.segments[s]), p2 = isParam(other.segments[s]);
            same_shape = (p1 && p2) || (!p1 && !p2 && mine.segments[s] == other.segments[s]);
        }
        if (same_shape) return &routes_[i];
    }
    return nullptr;
}

void Router::add(RouteEntry entry) {
    compiled_.push_back(compile(entry.route.path));
    routes_.push_back(std::move(entry));
    index();
}

void Router::index() {
    buckets_.clear();
    for (std::size_t i = 0; i < compiled_.size(); ++i) {
        const auto& segments = compiled_[i].segments;
        if (buckets_.size() <= segments.size()) buckets_.resize(segments.size() + 1);
        const std::string& key = segments[keyPosition(segments.size())];
        buckets_[segments.size()][isParam(key) ? std::string(kAnySegment) : key].push_back(i);
    }
}

void Router::removePlugin(const std::string& plugin) {
    for (std::size_t i = routes_.size(); i-- > 0;) {
        if (routes_[i].plugin == plugin) {
            routes_.erase(routes_.begin() + static_cast<std::ptrdiff_t>(i));
            compiled_.erase(compiled_.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    index();
}

Router::Result Router::match(sdk::Method method, std::string_view path) const {
    Result result;
    if (path.empty() || path.front() != '/') return result;
    const auto parts = splitPath(path);
    if (parts.size() >= buckets_.size()) return result;
    // The routes that could match: those with this path's segment at the key position,
    // and those with a parameter there, merged back into registration order.
    static const std::vector<std::size_t> kNone;
    const auto& by_key = buckets_[parts.size()];
    const auto literal = by_key.find(parts[keyPosition(parts.size())]);
    const auto any = by_key.find(kAnySegment);
    const auto& a = literal == by_key.end() || literal == any ? kNone : literal->second;
    const auto& b = any == by_key.end() ? kNone : any->second;
    std::size_t best_literals = 0;
    std::optional<std::size_t> best;
    for (std::size_t ia = 0, ib = 0; ia < a.size() || ib < b.size();) {
        const std::size_t i = ib == b.size() || (ia < a.size() && a[ia] < b[ib]) ? a[ia++] : b[ib++];
        const Compiled& c = compiled_[i];
        bool ok = true;
        for (std::size_t s = 0; s < parts.size() && ok; ++s)
            ok = isParam(c.segments[s]) ? !parts[s].empty() : c.segments[s] == parts[s];
        if (!ok) continue;
        // HEAD is GET without the body (RFC 9110 9.3.2): a GET route answers it; the
        // HTTP adapter leaves the body out.
        const sdk::Method route_method = routes_[i].route.method;
        if (route_method != method && !(method == sdk::Method::Head && route_method == sdk::Method::Get)) {
            result.allowed.push_back(route_method);
            if (route_method == sdk::Method::Get) result.allowed.push_back(sdk::Method::Head);
            continue;
        }
        // A literal segment beats a parameter: /contacts/export before /contacts/{id}.
        if (!best || c.literals > best_literals) {
            best = i;
            best_literals = c.literals;
        }
    }
    if (!best) {
        // Each method once, in a fixed order, for the Allow header.
        std::sort(result.allowed.begin(), result.allowed.end());
        result.allowed.erase(std::unique(result.allowed.begin(), result.allowed.end()), result.allowed.end());
        return result;
    }
    Match m;
    m.entry = &routes_[*best];
    const Compiled& c = compiled_[*best];
    for (std::size_t s = 0; s < parts.size(); ++s) {
        if (!isParam(c.segments[s])) continue;
        auto decoded = percentDecode(parts[s], false);
        if (!decoded) return Result{};  // malformed escape: no route can match it
        m.params[c.segments[s].substr(1, c.segments[s].size() - 2)] = std::move(*decoded);
    }
    result.match = std::move(m);
    result.allowed.clear();
    return result;
}

}  // namespace tessera::host
