#include "cli/config_loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace loopsafe::cli {
namespace fs = std::filesystem;

bool read_file(const fs::path& path, std::string& contents, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path.string() + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = path.string() + ": read error";
    return false;
  }
  contents = std::move(buffer).str();
  return true;
}

ConfigLoader::ConfigLoader(std::optional<fs::path> explicit_config, std::function<void(Settings&)> overrides)
    : explicit_config_(std::move(explicit_config)), overrides_(std::move(overrides)) {}

std::shared_ptr<const LoadedConfig> ConfigLoader::load(const fs::path& file, std::string& error) {
  if (const auto it = by_file_.find(file); it != by_file_.end()) return it->second;
  auto config = std::make_shared<LoadedConfig>();
  config->file = file;
  config->base = file.parent_path();
  std::string text;
  if (!read_file(file, text, error)) return nullptr;
  if (const auto problem = parse_pyproject(text, config->settings)) {
    error = file.string() + ":" + std::to_string(problem->line) + ":" + std::to_string(problem->column) +
            ": " + problem->message;
    return nullptr;
  }
  overrides_(config->settings);
  by_file_[file] = config;
  return config;
}

std::shared_ptr<const LoadedConfig> ConfigLoader::for_directory(const fs::path& directory,
                                                                std::string& error) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (explicit_config_) return load(fs::absolute(*explicit_config_, ec), error);
  // Most files share a directory with the previous one: look the path up as given before asking the
  // file system to canonicalise it.
  if (const auto it = by_directory_.find(directory); it != by_directory_.end()) return it->second;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(directory, ec), ec);
  if (const auto it = by_directory_.find(absolute); it != by_directory_.end()) {
    by_directory_[directory] = it->second;
    return it->second;
  }
  std::shared_ptr<const LoadedConfig> config;
  for (fs::path dir = absolute; !dir.empty(); dir = dir.parent_path()) {
    const fs::path candidate = dir / "pyproject.toml";
    if (fs::is_regular_file(candidate, ec)) {
      config = load(candidate, error);
      if (!config) return nullptr;
      break;
    }
    if (dir == dir.parent_path()) break;
  }
  if (!config) {
    auto defaults = std::make_shared<LoadedConfig>();
    defaults->base = absolute;
    overrides_(defaults->settings);
    config = defaults;
  }
  by_directory_[absolute] = config;
  by_directory_[directory] = config;
  return config;
}

}  // namespace loopsafe::cli
