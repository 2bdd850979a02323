#pragma once
// plugin.json: what a plugin says about itself before any of its code runs.

#include <map>
#include <string>

#include "plugins/semver.hpp"

namespace tessera::host {

struct Manifest {
    std::string id;
    SemVer version;
    std::string description;
    VersionRange sdk;                              // SDK versions the plugin works with
    std::map<std::string, VersionRange> depends;   // plugin id -> acceptable versions
    // The library's build id, stamped by tessera_add_plugin() into the installed copy;
    // empty in a source tree's manifest (the handshake is then the only check).
    std::string build_id;

    // Parses and validates the text of a plugin.json. Throws std::runtime_error with one
    // line naming the field that is wrong.
    static Manifest parse(const std::string& json_text);
    static Manifest load(const std::string& path);
};

bool isValidPluginId(const std::string& id);

}  // namespace tessera::host
