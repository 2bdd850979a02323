#include "plugins/semver.hpp"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace tessera::host {

std::optional<SemVer> SemVer::parse(const std::string& text) {
    static const std::regex re(R"(^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$)");
    std::smatch m;
    if (!std::regex_match(text, m, re)) return std::nullopt;
    return SemVer{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), m[4]};
}

std::string SemVer::str() const {
    std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    if (!prerelease.empty()) s += "-" + prerelease;
    return s;
}

int SemVer::compare(const SemVer& o) const {
    if (major != o.major) return major < o.major ? -1 : 1;
    if (minor != o.minor) return minor < o.minor ? -1 : 1;
    if (patch != o.patch) return patch < o.patch ? -1 : 1;
    // A pre-release sorts before its release; pre-releases compare as text.
    if (prerelease == o.prerelease) return 0;
    if (prerelease.empty()) return 1;
    if (o.prerelease.empty()) return -1;
    return prerelease < o.prerelease ? -1 : 1;
}

namespace {

// "1", "1.2", "1.2.3", "1.x", "1.2.*": returns the parts given (-1 for wildcards / absent).
bool partial(const std::string& text, int parts[3]) {
    // At most nine digits a part, as in SemVer::parse: a longer number does not fit an int
    // (std::stoi threw out_of_range, which no caller expected; found by fuzz_manifest).
    static const std::regex re(R"(^(\d{1,9}|[xX*])(?:\.(\d{1,9}|[xX*]))?(?:\.(\d{1,9}|[xX*]))?$)");
    std::smatch m;
    if (!std::regex_match(text, m, re)) return false;
    for (int i = 0; i < 3; ++i) {
        const std::string p = m[i + 1];
        parts[i] = (p.empty() || p == "x" || p == "X" || p == "*") ? -1 : std::stoi(p);
    }
    for (int i = 1; i < 3; ++i)
        if (parts[i - 1] < 0) parts[i] = -1;
    return true;
}

SemVer lower(const int p[3]) { return SemVer{p[0] < 0 ? 0 : p[0], p[1] < 0 ? 0 : p[1], p[2] < 0 ? 0 : p[2], ""}; }

}  // namespace

VersionRange VersionRange::parse(const std::string& text) {
    VersionRange r;
    r.text_ = text;
    std::string rest = text;
    std::vector<std::string> alts;
    for (std::size_t pos; (pos = rest.find("||")) != std::string::npos;) {
        alts.push_back(rest.substr(0, pos));
        rest = rest.substr(pos + 2);
    }
    alts.push_back(rest);
    for (const auto& alt : alts) {
        std::vector<Comparator> all;
        std::istringstream in(alt);
        std::string tok;
        while (in >> tok) {
            std::string op;
            for (const char* o : {">=", "<=", ">", "<", "=", "^", "~"}) {
                if (tok.rfind(o, 0) == 0) {
                    op = o;
                    break;
                }
            }
            std::string ver = tok.substr(op.size());
            if (ver.empty() && in >> tok) ver = tok;  // allow ">= 1.0.0"
            if (auto exact = SemVer::parse(ver); exact && op != "^" && op != "~") {
                Comparator::Op o = op == ">=" ? Comparator::Ge : op == "<=" ? Comparator::Le
                                 : op == ">" ? Comparator::Gt : op == "<" ? Comparator::Lt : Comparator::Eq;
                all.push_back({o, *exact});
                continue;
            }
            int p[3];
            if (!partial(ver, p)) throw std::invalid_argument("'" + tok + "' is not a version or range");
            if (p[0] < 0) continue;  // "*": anything
            SemVer lo = lower(p);
            SemVer hi;
            if (op == "^") {
                hi = p[0] > 0 || p[1] < 0 ? SemVer{p[0] + 1, 0, 0, ""}
                   : p[1] > 0 || p[2] < 0 ? SemVer{0, p[1] + 1, 0, ""} : SemVer{0, 0, p[2] + 1, ""};
            } else if (op == "~") {
                hi = p[1] < 0 ? SemVer{p[0] + 1, 0, 0, ""} : SemVer{p[0], p[1] + 1, 0, ""};
            } else if (op.empty() || op == "=") {
                hi = p[1] < 0 ? SemVer{p[0] + 1, 0, 0, ""} : p[2] < 0 ? SemVer{p[0], p[1] + 1, 0, ""} : SemVer{p[0], p[1], p[2] + 1, ""};
            } else {
                // A comparator with a partial version: treat missing parts as zero.
                Comparator::Op o = op == ">=" ? Comparator::Ge : op == "<=" ? Comparator::Le
                                 : op == ">" ? Comparator::Gt : Comparator::Lt;
                all.push_back({o, lo});
                continue;
            }
            all.push_back({Comparator::Ge, lo});
            all.push_back({Comparator::Lt, hi});
        }
        r.alternatives_.push_back(std::move(all));
    }
    return r;
}

bool VersionRange::contains(const SemVer& v) const {
    for (const auto& alt : alternatives_) {
        bool ok = true;
        for (const auto& c : alt) {
            const int cmp = v.compare(c.version);
            switch (c.op) {
                case Comparator::Lt: ok = cmp < 0; break;
                case Comparator::Le: ok = cmp <= 0; break;
                case Comparator::Gt: ok = cmp > 0; break;
                case Comparator::Ge: ok = cmp >= 0; break;
                case Comparator::Eq: ok = cmp == 0; break;
            }
            if (!ok) break;
        }
        if (ok) return true;
    }
    return false;
}

}  // namespace tessera::host
