#pragma once
/// The build id stamped into every plugin and into the host.
///
/// Two binaries may share C++ objects only if they agree on the compiler, the C++
/// library and its ABI, the language standard, the SDK version, the JSON library
/// version and the exact SDK headers. The loader compares the plugin's string with
/// its own for equality and names both when they differ.

#include <nlohmann/json.hpp>
#include <tessera/sdk/sdk_header_hash.hpp>  // generated: TESSERA_SDK_HEADER_HASH
#include <tessera/sdk/version.hpp>

#define TESSERA_STR_(x) #x
#define TESSERA_STR(x) TESSERA_STR_(x)

#if defined(__clang__)
#define TESSERA_COMPILER_ID "clang-" __clang_version__
#elif defined(__GNUC__)
#define TESSERA_COMPILER_ID "gcc-" __VERSION__
#else
#define TESSERA_COMPILER_ID "unknown-compiler"
#endif

#if defined(__GLIBCXX__)
#define TESSERA_STDLIB_ID "libstdc++-" TESSERA_STR(__GLIBCXX__) "-cxx11abi" TESSERA_STR(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define TESSERA_STDLIB_ID "libc++-" TESSERA_STR(_LIBCPP_VERSION)
#else
#define TESSERA_STDLIB_ID "unknown-stdlib"
#endif

#define TESSERA_BUILD_ID                                                                   \
    TESSERA_COMPILER_ID ";" TESSERA_STDLIB_ID ";std" TESSERA_STR(__cplusplus)             \
    ";sdk" TESSERA_SDK_VERSION_STRING ";abi" TESSERA_STR(TESSERA_ABI_VERSION)              \
    ";json" TESSERA_STR(NLOHMANN_JSON_VERSION_MAJOR) "." TESSERA_STR(                      \
        NLOHMANN_JSON_VERSION_MINOR) ";headers" TESSERA_SDK_HEADER_HASH
