# Fetches the tree-sitter-python grammar from its published npm package at configure time, checks its
# pinned checksum and builds it as a C library. The grammar sources live only in the build tree.
set(TSPY_VERSION 0.23.6)
set(TSPY_SHA256 aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a)
set(TSPY_DIR ${CMAKE_BINARY_DIR}/_grammar/tree-sitter-python-${TSPY_VERSION})
set(TSPY_TARBALL ${CMAKE_BINARY_DIR}/_grammar/tree-sitter-python-${TSPY_VERSION}.tgz)

if(NOT EXISTS ${TSPY_DIR}/src/parser.c)
  find_program(NPM_EXECUTABLE npm)
  if(NOT NPM_EXECUTABLE)
    message(FATAL_ERROR "npm is required to fetch the Python grammar (tree-sitter-python@${TSPY_VERSION}); "
                        "install Node.js 20 with npm")
  endif()
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/_grammar)
  if(NOT EXISTS ${TSPY_TARBALL})
    execute_process(
      COMMAND ${NPM_EXECUTABLE} pack tree-sitter-python@${TSPY_VERSION} --silent
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/_grammar
      RESULT_VARIABLE npm_result
      OUTPUT_VARIABLE npm_output
      ERROR_VARIABLE npm_error)
    if(NOT npm_result EQUAL 0 OR NOT EXISTS ${TSPY_TARBALL})
      message(FATAL_ERROR "`npm pack tree-sitter-python@${TSPY_VERSION}` failed (exit ${npm_result}):\n"
                          "${npm_error}\nCheck that the npm registry is reachable.")
    endif()
  endif()
  file(SHA256 ${TSPY_TARBALL} actual_sha)
  if(NOT actual_sha STREQUAL TSPY_SHA256)
    file(REMOVE ${TSPY_TARBALL})
    message(FATAL_ERROR "Checksum mismatch for tree-sitter-python-${TSPY_VERSION}.tgz:\n"
                        "  expected ${TSPY_SHA256}\n  actual   ${actual_sha}\n"
                        "The downloaded package was removed; refusing to build with it.")
  endif()
  file(ARCHIVE_EXTRACT INPUT ${TSPY_TARBALL} DESTINATION ${TSPY_DIR}.tmp
       PATTERNS package/src/parser.c package/src/scanner.c package/src/tree_sitter/*.h)
  file(REMOVE_RECURSE ${TSPY_DIR})
  file(RENAME ${TSPY_DIR}.tmp/package ${TSPY_DIR})
  file(REMOVE_RECURSE ${TSPY_DIR}.tmp)
endif()

add_library(tree_sitter_python STATIC ${TSPY_DIR}/src/parser.c ${TSPY_DIR}/src/scanner.c)
target_include_directories(tree_sitter_python PRIVATE ${TSPY_DIR}/src)
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated code: its warnings are not ours to fix.
target_compile_options(tree_sitter_python PRIVATE -w)
