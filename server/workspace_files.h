#pragma once
// The Python files of a workspace folder, for the project-wide analysis: directories walked for
// `*.py`, skipping version control, virtual environments, caches and `exclude` patterns.
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace loopsafe::server {

// At most `limit` files; stops early when `cancelled` becomes true. `exclude` patterns are globs
// relative to `root`.
std::vector<std::filesystem::path> python_files(const std::filesystem::path& root,
                                                const std::vector<std::string>& exclude,
                                                const std::atomic<bool>& cancelled, size_t limit = 50000);

}  // namespace loopsafe::server
