#pragma once
/// The migrations of this plugin, embedded at build time by tessera_add_plugin() from
/// the plugin's migrations/ folder. Pass them to Registrar::migrations() in declare().

#include <vector>

#include <tessera/sdk/registrar.hpp>

namespace tessera::sdk {
std::vector<Migration> embeddedMigrations();
}
