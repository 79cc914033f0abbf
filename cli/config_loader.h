#pragma once
// Finds and reads the pyproject.toml that governs each checked file: the nearest one upward from the
// file, or the one given with --config. Parsed once per file on disk.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "analysis/config.h"

namespace loopsafe::cli {

struct LoadedConfig {
  Settings settings;
  std::filesystem::path base;  // the directory relative paths (globs, per-file-ignores) start from
  std::filesystem::path file;  // empty when no pyproject.toml applies
};

class ConfigLoader {
 public:
  // `overrides` is applied on top of whatever a file says (command-line options).
  ConfigLoader(std::optional<std::filesystem::path> explicit_config,
               std::function<void(Settings&)> overrides);

  // The config for files in `directory`; on a broken file, sets `error` ("path:line:col: message").
  std::shared_ptr<const LoadedConfig> for_directory(const std::filesystem::path& directory,
                                                    std::string& error);

 private:
  std::shared_ptr<const LoadedConfig> load(const std::filesystem::path& file, std::string& error);

  std::optional<std::filesystem::path> explicit_config_;
  std::function<void(Settings&)> overrides_;
  std::mutex mutex_;
  std::map<std::filesystem::path, std::shared_ptr<const LoadedConfig>> by_directory_;
  std::map<std::filesystem::path, std::shared_ptr<const LoadedConfig>> by_file_;
};

// Reads a whole file as bytes; false with `error` set when it cannot.
bool read_file(const std::filesystem::path& path, std::string& contents, std::string& error);

}  // namespace loopsafe::cli
