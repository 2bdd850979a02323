#pragma once
/// The C handshake between the host and a plugin library.
///
/// The host resolves the symbol `tessera_plugin_handshake`, calls it and checks the
/// returned struct *before* any C++ of the plugin runs: `struct_size` must cover the
/// fields it reads, `abi_version` must equal the host's TESSERA_ABI_VERSION and
/// `build_id` must equal the host's build id (compiler, C++ library ABI, SDK version,
/// hash of the SDK headers). Only then does it call `create`.
///
/// The struct only ever grows by appending fields; `struct_size` tells the host how
/// much of it the plugin knows.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct TesseraPluginHandshake {
    uint32_t struct_size;    ///< sizeof(TesseraPluginHandshake) as the plugin saw it.
    uint32_t abi_version;    ///< TESSERA_ABI_VERSION the plugin was built with.
    const char* id;          ///< Plugin id (snake_case); equals the manifest id and the .so stem.
    const char* version;     ///< Plugin version (semver); equals the manifest version.
    const char* build_id;    ///< See tessera::sdk::buildId().
    void* (*create)(void);   ///< Returns a new tessera::sdk::Plugin*, or null on failure. Never throws.
    void (*destroy)(void*);  ///< Destroys what create() returned, inside the plugin library.
} TesseraPluginHandshake;

/// Name of the entry symbol every plugin exports.
#define TESSERA_PLUGIN_ENTRY_SYMBOL "tessera_plugin_handshake"

#ifdef __cplusplus
}
#endif
