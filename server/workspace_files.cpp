#include "server/workspace_files.h"

#include <algorithm>
#include <set>

#include "analysis/glob.h"

namespace loopsafe::server {
namespace fs = std::filesystem;

std::vector<fs::path> python_files(const fs::path& root, const std::vector<std::string>& exclude,
                                   const std::atomic<bool>& cancelled, size_t limit) {
  static const std::set<std::string> skipped = {
      ".git", ".hg",  ".svn",        ".venv",           "venv",         "node_modules", "__pycache__",
      ".tox", ".nox", ".mypy_cache", ".loopsafe_cache", "site-packages"};
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end && files.size() < limit && !cancelled; it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string relative = path.lexically_relative(root).generic_string();
    const bool excluded = std::any_of(exclude.begin(), exclude.end(), [&](const std::string& pattern) {
      return glob_match(pattern, relative);
    });
    std::error_code type_ec;
    if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
      if (excluded || skipped.contains(path.filename().string())) it.disable_recursion_pending();
      continue;
    }
    if (!excluded && path.extension() == ".py" && it->is_regular_file(type_ec)) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace loopsafe::server
