#pragma once
// Semantic versions and ranges as used in plugin manifests:
//   "1.2.3", ">=1.0.0 <2.0.0", "^1.2" (>=1.2.0 <2.0.0), "~1.2.3" (>=1.2.3 <1.3.0),
//   "1.x", "*". Space-separated comparators must all hold; "||" separates alternatives.

#include <optional>
#include <string>
#include <vector>

namespace tessera::host {

struct SemVer {
    int major = 0, minor = 0, patch = 0;
    std::string prerelease;
    // Strict "MAJOR.MINOR.PATCH[-pre][+build]".
    static std::optional<SemVer> parse(const std::string& text);
    std::string str() const;
    int compare(const SemVer& o) const;
    bool operator<(const SemVer& o) const { return compare(o) < 0; }
    bool operator==(const SemVer& o) const { return compare(o) == 0; }
};

class VersionRange {
public:
    // Throws std::invalid_argument naming the bad part.
    static VersionRange parse(const std::string& text);
    bool contains(const SemVer& v) const;
    const std::string& text() const { return text_; }

private:
    struct Comparator {
        enum Op { Lt, Le, Gt, Ge, Eq } op;
        SemVer version;
    };
    std::vector<std::vector<Comparator>> alternatives_;
    std::string text_;
};

}  // namespace tessera::host
