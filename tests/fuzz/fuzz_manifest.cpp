// plugin.json manifests and the semver versions and ranges in them.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "plugins/manifest.hpp"
#include "plugins/semver.hpp"

using namespace tessera::host;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)Manifest::parse(text);
    } catch (const std::runtime_error&) {
    }
    if (const auto version = SemVer::parse(text)) {
        if (SemVer::parse(version->str()) != version) __builtin_trap();  // printing round-trips
    }
    try {
        const auto range = VersionRange::parse(text);
        (void)range.contains(*SemVer::parse("1.2.3"));
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
