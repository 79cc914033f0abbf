# Every dependency is a Debian bookworm package installed by scripts/setup.
find_package(PkgConfig REQUIRED)
# Debian's tree-sitter.pc reports a wrong version (0.6.3 for 0.20.7), so no version is checked.
pkg_check_modules(TREE_SITTER REQUIRED IMPORTED_TARGET tree-sitter)
find_package(nlohmann_json REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(doctest REQUIRED)
find_package(Threads REQUIRED)

find_path(ASIO_INCLUDE_DIR asio.hpp)
if(NOT ASIO_INCLUDE_DIR)
  message(FATAL_ERROR "asio.hpp not found: install libasio-dev (scripts/setup does)")
endif()
add_library(asio_standalone INTERFACE)
target_include_directories(asio_standalone INTERFACE ${ASIO_INCLUDE_DIR})
# asio picks aligned_alloc or operator new by whether a libstdc++ header came before its own, which
# differs between files; both halves of an allocation must agree (AddressSanitizer reports the mismatch).
target_compile_definitions(asio_standalone INTERFACE ASIO_STANDALONE ASIO_DISABLE_STD_ALIGNED_ALLOC)
