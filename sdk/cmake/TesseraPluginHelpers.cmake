# tessera_add_plugin(<id> [SOURCES files...])
#
# Builds plugins/<id>/ (or any folder holding plugin.json, src/, migrations/) into
# <TESSERA_PLUGIN_OUTPUT_DIR>/<id>/<id>.so next to a copy of its manifest and locales.
# Migrations in migrations/NNNN_name[.sqlite|.postgres].sql are embedded into the
# library; the plugin passes tessera::sdk::embeddedMigrations() to the registrar.
# The plugin links Tessera::sdk_rest, the REST helper library (<tessera/sdk/rest/...>).
#
# tessera_embed_migrations(<out_var> <dir> <function>) generates the C++ source that
# defines `std::vector<tessera::sdk::Migration> <function>()` from <dir>.

# Functions are global but variables are not: keep the path where every directory sees it.
set(_TESSERA_HELPERS_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "")

function(tessera_embed_migrations out_var dir function)
  file(GLOB _sql CONFIGURE_DEPENDS "${dir}/*.sql")
  string(MAKE_C_IDENTIFIER "${function}" _stem)
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/${_stem}_embedded.cpp")
  # The source depends on which files there are, not only on their contents: a migration
  # removed, or added with a timestamp older than the source, changes this list (the glob
  # is redone before every build), so its file, so the source. file(CONFIGURE) writes only
  # when the text differs.
  set(_list "${CMAKE_CURRENT_BINARY_DIR}/${_stem}_files.txt")
  string(REPLACE ";" "\n" _names "${_sql}")
  file(CONFIGURE OUTPUT "${_list}" CONTENT "${_names}\n")
  add_custom_command(
    OUTPUT "${_out}"
    COMMAND "${CMAKE_COMMAND}" "-DDIR=${dir}" "-DOUTPUT=${_out}" "-DFUNCTION=${function}"
            -P "${_TESSERA_HELPERS_DIR}/EmbedMigrations.cmake"
    DEPENDS ${_sql} "${_list}" "${_TESSERA_HELPERS_DIR}/EmbedMigrations.cmake"
    COMMENT "Embedding migrations from ${dir}"
    VERBATIM)
  set(${out_var} "${_out}" PARENT_SCOPE)
endfunction()

function(tessera_add_plugin id)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  if(NOT id MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "plugin id '${id}' must be snake_case")
  endif()
  set(_manifest "${CMAKE_CURRENT_SOURCE_DIR}/plugin.json")
  if(NOT EXISTS "${_manifest}")
    message(FATAL_ERROR "plugin '${id}': ${_manifest} is missing")
  endif()
  # The id and version are written once, in plugin.json: the library gets them from here.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_manifest}")
  file(READ "${_manifest}" _manifest_text)
  string(JSON _manifest_id ERROR_VARIABLE _json_error GET "${_manifest_text}" id)
  string(JSON _manifest_version ERROR_VARIABLE _json_error GET "${_manifest_text}" version)
  if(_json_error)
    message(FATAL_ERROR "plugin '${id}': ${_manifest} needs string fields id and version (${_json_error})")
  endif()
  if(NOT _manifest_id STREQUAL id)
    message(FATAL_ERROR "plugin '${id}': ${_manifest} says id '${_manifest_id}'; tessera_add_plugin() must name the same id")
  endif()
  if(NOT ARG_SOURCES)
    file(GLOB ARG_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp")
  endif()
  tessera_embed_migrations(_migrations "${CMAKE_CURRENT_SOURCE_DIR}/migrations"
                           "tessera::sdk::embeddedMigrations")

  if(NOT TESSERA_PLUGIN_OUTPUT_DIR)
    set(TESSERA_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/plugins")
  endif()
  set(_out "${TESSERA_PLUGIN_OUTPUT_DIR}/${id}")

  add_library(${id} MODULE ${ARG_SOURCES} "${_migrations}")
  target_link_libraries(${id} PRIVATE Tessera::sdk Tessera::sdk_rest)
  target_compile_definitions(${id} PRIVATE TESSERA_PLUGIN_ID="${_manifest_id}"
                             TESSERA_PLUGIN_VERSION="${_manifest_version}")
  target_include_directories(${id} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/src")
  set_target_properties(${id} PROPERTIES
    PREFIX "" OUTPUT_NAME "${id}"
    LIBRARY_OUTPUT_DIRECTORY "${_out}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # The manifest and locales travel with the library; the loader reads them from there.
  # The installed manifest carries the library's build id, printed by a program built
  # with the same compiler and flags, one per project.
  if(NOT TARGET tessera_print_build_id)
    add_executable(tessera_print_build_id "${_TESSERA_HELPERS_DIR}/print_build_id.cpp")
    target_link_libraries(tessera_print_build_id PRIVATE Tessera::sdk)
  endif()
  add_dependencies(${id} tessera_print_build_id)
  add_custom_command(TARGET ${id} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" "-DMANIFEST=${_manifest}" "-DOUTPUT=${_out}/plugin.json"
            "-DTOOL=$<TARGET_FILE:tessera_print_build_id>" -P "${_TESSERA_HELPERS_DIR}/StampManifest.cmake"
    VERBATIM)
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/locales")
    add_custom_command(TARGET ${id} POST_BUILD
      COMMAND "${CMAKE_COMMAND}" -E copy_directory "${CMAKE_CURRENT_SOURCE_DIR}/locales" "${_out}/locales"
      VERBATIM)
  endif()
endfunction()
