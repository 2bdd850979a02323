#pragma once
// Matches a method and path to a registered route. Built once at start-up, read-only
// while serving, so lookups take no lock.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tessera/sdk/registrar.hpp>

namespace tessera::host {

struct RouteEntry {
    sdk::Route route;
    std::string plugin;  // owner, or "host"
};

class Router {
public:
    struct Match {
        const RouteEntry* entry = nullptr;
        std::map<std::string, std::string> params;
    };
    struct Result {
        std::optional<Match> match;
        std::vector<sdk::Method> allowed;  // when the path exists but not for this method
    };

    // Throws std::invalid_argument for a malformed pattern ("/a/{}", "a/b", duplicate
    // parameter names).
    static void validatePattern(const std::string& pattern);
    // The entry whose pattern overlaps `route` for the same method, if any.
    const RouteEntry* conflicting(const sdk::Route& route) const;

    void add(RouteEntry entry);
    // Removes every route of `plugin`.
    void removePlugin(const std::string& plugin);
    // `path` is the raw (still percent-encoded) path.
    Result match(sdk::Method method, std::string_view path) const;
    const std::vector<RouteEntry>& routes() const { return routes_; }

private:
    struct Compiled {
        std::vector<std::string> segments;  // "{name}" for parameters
        std::size_t literals = 0;
    };
    static Compiled compile(const std::string& pattern);
    // Rebuilt after every add and remove (start-up only).
    void index();

    std::vector<RouteEntry> routes_;
    std::vector<Compiled> compiled_;
    // Indices of routes_ by segment count, then by the segment at keyPosition ("{}" when
    // the pattern has a parameter there), in registration order: a request compares the
    // few patterns of its collection instead of every route of every plugin.
    std::vector<std::map<std::string, std::vector<std::size_t>, std::less<>>> buckets_;
};

// Percent-decoding; returns nullopt for malformed escapes and for results that are not
// UTF-8 text or hold a NUL. `plus_is_space` for queries.
std::optional<std::string> percentDecode(std::string_view in, bool plus_is_space);

}  // namespace tessera::host
