# LOOPSAFE_STATIC: a `loopsafe` executable that needs no shared library at all, so the binary bundled
# in the VS Code extension runs on machines without tree-sitter, fmt, spdlog, toml++ or a matching
# libstdc++ (scripts/package-vscode builds it in its own build directory).
#
# Debian ships static archives of tree-sitter, libstdc++ and glibc; fmt, spdlog and toml++ come as
# shared libraries only, so their header-only forms are compiled in instead. glibc linked statically is
# fine for this program: it resolves no host names and users, and loads no modules.
option(LOOPSAFE_STATIC "Link the loopsafe executable statically (the VS Code extension's bundled binary)" OFF)
if(NOT LOOPSAFE_STATIC)
  return()
endif()

find_library(LOOPSAFE_TREE_SITTER_ARCHIVE NAMES libtree-sitter.a HINTS ${TREE_SITTER_LIBRARY_DIRS} ${TREE_SITTER_LIBDIR})
if(NOT LOOPSAFE_TREE_SITTER_ARCHIVE)
  message(FATAL_ERROR "LOOPSAFE_STATIC: libtree-sitter.a not found (libtree-sitter-dev ships it)")
endif()
set_property(TARGET PkgConfig::TREE_SITTER PROPERTY INTERFACE_LINK_LIBRARIES ${LOOPSAFE_TREE_SITTER_ARCHIVE})

add_library(loopsafe_tomlplusplus_header_only INTERFACE)
target_include_directories(loopsafe_tomlplusplus_header_only SYSTEM INTERFACE
                           $<TARGET_PROPERTY:tomlplusplus::tomlplusplus,INTERFACE_INCLUDE_DIRECTORIES>)
target_compile_definitions(loopsafe_tomlplusplus_header_only INTERFACE TOML_HEADER_ONLY=1)
set_property(TARGET spdlog::spdlog_header_only PROPERTY INTERFACE_LINK_LIBRARIES "Threads::Threads;fmt::fmt-header-only")

# Each shared-only dependency is replaced by its header-only form wherever the executable's libraries
# name it: as `fmt::fmt` or, linked privately into a static library, as `$<LINK_ONLY:fmt::fmt>`.
set(LOOPSAFE_HEADER_ONLY_fmt::fmt fmt::fmt-header-only)
set(LOOPSAFE_HEADER_ONLY_spdlog::spdlog spdlog::spdlog_header_only)
set(LOOPSAFE_HEADER_ONLY_tomlplusplus::tomlplusplus loopsafe_tomlplusplus_header_only)
foreach(target loopsafe_analysis loopsafe_server loopsafe)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "cmake/StaticLink.cmake is included before target ${target} is defined")
  endif()
  foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(libraries ${target} ${property})
    if(NOT libraries)
      continue()
    endif()
    set(replaced "")
    foreach(library IN LISTS libraries)
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" name "${library}")
      if(DEFINED LOOPSAFE_HEADER_ONLY_${name})
        string(REPLACE "${name}" "${LOOPSAFE_HEADER_ONLY_${name}}" library "${library}")
      endif()
      list(APPEND replaced "${library}")
    endforeach()
    set_property(TARGET ${target} PROPERTY ${property} "${replaced}")
  endforeach()
endforeach()

target_link_options(loopsafe PRIVATE -static)
