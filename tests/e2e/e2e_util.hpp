#pragma once
// Helpers shared by the end-to-end tests.
#include <string>
#include <vector>

#include "test_host.hpp"

namespace tessera::test {

// A plugin directory list made of fixture cases (tests/fixtures/<case>).
inline std::string fixtureDirs(const std::vector<std::string>& cases) {
    std::string dirs;
    for (const auto& c : cases) dirs += (dirs.empty() ? "" : ":") + std::string(TESSERA_FIXTURE_DIR) + "/" + c;
    return dirs;
}

// The JSON a `--json` command printed after its log lines (which may hold brackets too):
// the text from the first line that starts with '[' or '{'; discarded when there is none.
inline Json jsonOutput(const std::string& out) {
    std::size_t at = 0;
    while (at < out.size() && out[at] != '[' && out[at] != '{') {
        const auto next = out.find('\n', at);
        if (next == std::string::npos) return Json::parse("", nullptr, false);
        at = next + 1;
    }
    return Json::parse(out.substr(at), nullptr, false);
}

}  // namespace tessera::test
