#pragma once
// The pyproject.toml that governs a document: the nearest one upward from the document's path, read
// with [tool.loopsafe] parsed by analysis. Cached per directory until a watched pyproject changes.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/config.h"

namespace loopsafe::server {

struct ProjectConfig {
  Settings settings;                 // defaults when there is no file or it is broken
  std::filesystem::path base;        // per-file-ignores are relative to this directory
  std::filesystem::path file;        // empty: no pyproject.toml
  std::optional<std::string> error;  // "path:line:col: message" for a broken file
};

class ProjectConfigs {
 public:
  // For a document at `path` (absolute); `path` empty (not a file:// document): defaults.
  std::shared_ptr<const ProjectConfig> for_document(const std::filesystem::path& path);
  void clear() { by_directory_.clear(); }

 private:
  std::map<std::filesystem::path, std::shared_ptr<const ProjectConfig>> by_directory_;
};

// file:///a/b%20c.py -> /a/b c.py; nullopt for other schemes.
std::optional<std::filesystem::path> uri_to_path(std::string_view uri);
// The inverse: /a/b c.py -> file:///a/b%20c.py
std::string path_to_uri(const std::filesystem::path& path);
// The path of `document` relative to `base`, '/'-separated; the file name when it is not below it.
std::string relative_to(const std::filesystem::path& document, const std::filesystem::path& base);

}  // namespace loopsafe::server
