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

}  // namespace tessera::test
