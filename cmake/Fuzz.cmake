# The libFuzzer targets of tests/fuzz, with -DLOOPSAFE_FUZZ=ON (CMakeLists.txt instruments the libraries
# they link). scripts/fuzz builds and runs them. Each target also runs every file of its seed corpus once
# as a ctest case (label `fuzz`), so an input that once found a bug keeps being tried.
if(NOT LOOPSAFE_FUZZ)
  return()
endif()

set(LOOPSAFE_FUZZERS analysis_fuzzer jsonrpc_fuzzer edit_script_fuzzer)
foreach(fuzzer IN LISTS LOOPSAFE_FUZZERS)
  add_executable(${fuzzer} ${CMAKE_SOURCE_DIR}/tests/fuzz/${fuzzer}.cpp)
  target_compile_options(${fuzzer} PRIVATE -fsanitize=fuzzer)
  target_link_options(${fuzzer} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${fuzzer} PRIVATE loopsafe_warnings)
  # Configure time: scripts/fuzz configures before every run, which picks up new seeds.
  file(GLOB seeds ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${fuzzer}/*)
  if(seeds)
    add_test(NAME fuzz_corpus_${fuzzer} COMMAND ${fuzzer} ${seeds})
    set_tests_properties(fuzz_corpus_${fuzzer} PROPERTIES LABELS fuzz TIMEOUT 600)
  endif()
endforeach()
target_link_libraries(analysis_fuzzer PRIVATE loopsafe_analysis loopsafe_server)  # server: its UTF-8 check
target_link_libraries(jsonrpc_fuzzer PRIVATE loopsafe_server)
target_link_libraries(edit_script_fuzzer PRIVATE loopsafe_server)
add_custom_target(loopsafe_fuzzers DEPENDS ${LOOPSAFE_FUZZERS})
