# Kept apart from tests/CMakeLists.txt so that plugin folders can call it in every build,
# also one configured without tests (-DTESSERA_BUILD_TESTS=OFF, the fuzz tree), where it
# does nothing.
# tessera_add_plugin_tests(<id>): builds plugins/<id>/tests/*_test.cpp into <id>_tests,
# end-to-end tests that start the real host with the built plugins.
function(tessera_add_plugin_tests id)
  if(NOT TESSERA_BUILD_TESTS)
    return()
  endif()
  file(GLOB _tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/tests/*_test.cpp")
  if(NOT _tests)
    # A plugin whose tests are still being written must not break the whole build.
    return()
  endif()
  add_executable(${id}_tests ${_tests})
  target_compile_options(${id}_tests PRIVATE ${TESSERA_TEST_COMPILE_OPTIONS})
  set_target_properties(${id}_tests PROPERTIES UNITY_BUILD ON)
  target_link_libraries(${id}_tests PRIVATE tessera_test_support GTest::gtest_main)
  add_dependencies(${id}_tests ${id} tessera)
  gtest_discover_tests(${id}_tests DISCOVERY_MODE PRE_TEST PROPERTIES LABELS "db;e2e")
endfunction()
