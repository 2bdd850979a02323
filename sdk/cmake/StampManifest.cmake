# Script mode: cmake -DMANIFEST=<plugin.json> -DOUTPUT=<installed plugin.json> -DTOOL=<print_build_id> -P this
# Writes the manifest next to the library with "build_id" set to what TOOL prints: the
# build id the library was compiled with, which the loader compares with its own before
# it opens the library (a mismatch then never runs the library's static initialisers).
execute_process(COMMAND "${TOOL}" OUTPUT_VARIABLE _build_id RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR _build_id STREQUAL "")
  message(FATAL_ERROR "${TOOL} did not print a build id (exit ${_rc})")
endif()
file(READ "${MANIFEST}" _manifest)
string(REPLACE "\\" "\\\\" _build_id "${_build_id}")
string(REPLACE "\"" "\\\"" _build_id "${_build_id}")
string(JSON _stamped SET "${_manifest}" build_id "\"${_build_id}\"")
file(WRITE "${OUTPUT}.tmp" "${_stamped}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
