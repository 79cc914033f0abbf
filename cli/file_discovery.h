#pragma once
// Which files `loopsafe check PATH...` looks at: explicit files as given; directories walked for
// `*.py`, skipping VCS and environment directories, `.gitignore`d paths and `exclude` patterns.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace loopsafe::cli {

// Patterns a path is tested against, relative to the directory they were written in.
struct ExcludeRules {
  std::filesystem::path base;
  std::vector<std::string> patterns;
};

struct Discovery {
  std::vector<std::filesystem::path> files;
  std::vector<std::string> errors;  // paths that do not exist or cannot be read
};

// `exclude_for(dir)` gives the config's exclude patterns that apply under `dir`.
Discovery discover_files(const std::vector<std::string>& paths,
                         const std::function<ExcludeRules(const std::filesystem::path&)>& exclude_for);

}  // namespace loopsafe::cli
