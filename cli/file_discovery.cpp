#include "cli/file_discovery.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "analysis/glob.h"

namespace loopsafe::cli {
namespace fs = std::filesystem;
namespace {

bool is_skipped_directory(const std::string& name) {
  static const std::vector<std::string> skipped = {
      ".git",        ".hg",           ".svn",        ".venv", "venv", "node_modules",    "__pycache__",
      ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox",  ".nox", ".loopsafe_cache", "site-packages"};
  return std::find(skipped.begin(), skipped.end(), name) != skipped.end();
}

struct IgnoreRule {
  std::string pattern;
  bool negated = false;
  bool directory_only = false;
  bool anchored = false;  // contains a slash: relative to the .gitignore's directory
};

struct IgnoreFile {
  fs::path base;
  std::vector<IgnoreRule> rules;
};

IgnoreFile read_gitignore(const fs::path& dir) {
  IgnoreFile file{dir, {}};
  std::ifstream in(dir / ".gitignore");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    IgnoreRule rule;
    if (line[0] == '!') {
      rule.negated = true;
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.directory_only = true;
      line.pop_back();
    }
    if (!line.empty() && line[0] == '/') line.erase(0, 1);
    rule.anchored = line.find('/') != std::string::npos;
    rule.pattern = line;
    if (!rule.pattern.empty()) file.rules.push_back(std::move(rule));
  }
  return file;
}

std::string relative_string(const fs::path& path, const fs::path& base) {
  return path.lexically_relative(base).generic_string();
}

bool ignored_by(const std::vector<IgnoreFile>& stack, const fs::path& path, bool is_directory) {
  bool ignored = false;
  for (const IgnoreFile& file : stack) {
    const std::string relative = relative_string(path, file.base);
    const std::string name = path.filename().string();
    for (const IgnoreRule& rule : file.rules) {
      if (rule.directory_only && !is_directory) continue;
      const bool hit = rule.anchored ? glob_match(rule.pattern, relative) : glob_match(rule.pattern, name);
      if (hit) ignored = !rule.negated;
    }
  }
  return ignored;
}

bool excluded(const ExcludeRules& rules, const fs::path& path, bool is_directory) {
  if (rules.patterns.empty()) return false;
  std::error_code ec;
  const std::string relative = relative_string(fs::absolute(path, ec).lexically_normal(), rules.base);
  const std::string name = path.filename().string();
  for (const std::string& pattern : rules.patterns) {
    std::string p = pattern;
    while (!p.empty() && p.back() == '/') p.pop_back();
    // `generated/*` excludes the directory `generated` itself, so it is not even walked.
    if (glob_match(p, relative) || glob_match(p, name) || (is_directory && glob_match(p, relative + "/")))
      return true;
  }
  return false;
}

void walk(const fs::path& dir, std::vector<IgnoreFile>& ignores,
          const std::function<ExcludeRules(const fs::path&)>& exclude_for, Discovery& out) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec))
    entries.push_back(*it);
  if (ec) {
    out.errors.push_back(dir.string() + ": " + ec.message());
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
  const bool has_gitignore = fs::exists(dir / ".gitignore", ec);
  if (has_gitignore) ignores.push_back(read_gitignore(dir));
  const ExcludeRules exclude = exclude_for(dir);
  for (const fs::directory_entry& entry : entries) {
    const fs::path& path = entry.path();
    const bool is_directory = entry.is_directory(ec) && !entry.is_symlink(ec);
    if (is_directory) {
      if (is_skipped_directory(path.filename().string()) || ignored_by(ignores, path, true) ||
          excluded(exclude, path, true))
        continue;
      walk(path, ignores, exclude_for, out);
    } else if (path.extension() == ".py") {
      if (ignored_by(ignores, path, false) || excluded(exclude, path, false)) continue;
      out.files.push_back(path);
    }
  }
  if (has_gitignore) ignores.pop_back();
}

}  // namespace

Discovery discover_files(const std::vector<std::string>& paths,
                         const std::function<ExcludeRules(const fs::path&)>& exclude_for) {
  Discovery out;
  for (const std::string& raw : paths) {
    const fs::path path(raw);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.errors.push_back(raw + ": No such file or directory");
      continue;
    }
    if (fs::is_directory(status)) {
      std::vector<IgnoreFile> ignores;
      walk(path.lexically_normal(), ignores, exclude_for, out);
    } else {
      out.files.push_back(path);  // an explicitly named file is always checked
    }
  }
  return out;
}

}  // namespace loopsafe::cli
