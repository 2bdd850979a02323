# Finds the host's third-party libraries (all from Debian packages) and exposes each as
# an imported target, so the rest of the build names targets, not paths.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL REQUIRED)
# libcurl delivers workflow webhooks (crm.http.request).
find_package(CURL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# Identity: Argon2id password hashes and RFC 6238 one-time passwords.
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)
# The C++ build of Lua: errors are C++ exceptions, so destructors run on lua_error.
pkg_check_modules(LUA REQUIRED IMPORTED_TARGET lua5.4-c++)

# SOCI 4.0 ships neither a CMake config nor a .pc file.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
foreach(part core sqlite3 postgresql)
  find_library(SOCI_${part}_LIBRARY soci_${part} REQUIRED)
  add_library(soci::${part} UNKNOWN IMPORTED)
  set_target_properties(soci::${part} PROPERTIES
    IMPORTED_LOCATION "${SOCI_${part}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
endforeach()
set_property(TARGET soci::core APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${CMAKE_DL_LIBS})
set_property(TARGET soci::sqlite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES soci::core SQLite::SQLite3)
set_property(TARGET soci::postgresql APPEND PROPERTY INTERFACE_LINK_LIBRARIES soci::core PostgreSQL::PostgreSQL)

# cctz reads the tz database, rules past 2037 included, for cron schedules in a tenant's
# time zone; Debian's package ships neither a CMake config nor a .pc file.
find_path(CCTZ_INCLUDE_DIR cctz/time_zone.h REQUIRED)
find_library(CCTZ_LIBRARY cctz REQUIRED)
add_library(cctz::cctz UNKNOWN IMPORTED)
set_target_properties(cctz::cctz PROPERTIES
  IMPORTED_LOCATION "${CCTZ_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${CCTZ_INCLUDE_DIR}")
