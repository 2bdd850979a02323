// Prints the build id (build_id.hpp) this compiler and these SDK headers give a plugin.
// tessera_add_plugin() builds it with the plugin's own compiler and flags and stamps the
// answer into the installed plugin.json, so the loader can compare it before dlopen.
#include <cstdio>

#include <tessera/sdk/build_id.hpp>

int main() { return std::fputs(TESSERA_BUILD_ID, stdout) < 0 ? 1 : 0; }
