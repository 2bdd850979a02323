#pragma once
/// Version of the Tessera plugin SDK.
///
/// TESSERA_SDK_VERSION_* follow semver: a plugin manifest states the SDK range it
/// needs ("sdk": ">=2.0.0 <3.0.0"), and the loader compares it with these numbers.
/// TESSERA_ABI_VERSION changes whenever the binary contract (the handshake struct or
/// any class layout in these headers) changes; it must match exactly.

#define TESSERA_SDK_VERSION_MAJOR 2
#define TESSERA_SDK_VERSION_MINOR 1
#define TESSERA_SDK_VERSION_PATCH 0
#define TESSERA_SDK_VERSION_STRING "2.1.0"
#define TESSERA_ABI_VERSION 6

/// Symbols that must be visible across the plugin boundary (exception types, the
/// entry point). Plugins are built with hidden visibility; these stay shared so that
/// an exception thrown in a plugin is caught by type in the host.
#define TESSERA_API __attribute__((visibility("default")))
