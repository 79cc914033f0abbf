# The Neovim plugin (editors/neovim) driven by a headless Neovim against the server built here, see
# tests/editors/neovim. Neovim comes from Debian's package (scripts/setup).
if(NOT PYTHON_WITH_PYTEST)
  find_program(PYTHON_WITH_PYTEST NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
endif()
add_test(NAME neovim
         COMMAND ${PYTHON_WITH_PYTEST} -m pytest -q -p no:cacheprovider ${CMAKE_SOURCE_DIR}/tests/editors/neovim
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
# LOOPSAFE_VERIFY_INCREMENTAL makes the server check every incremental edit Neovim sends against a
# fresh parse of the resulting text.
set_tests_properties(neovim PROPERTIES ENVIRONMENT "LOOPSAFE_BIN=$<TARGET_FILE:loopsafe>;LOOPSAFE_VERIFY_INCREMENTAL=1"
                                       TIMEOUT 600)
