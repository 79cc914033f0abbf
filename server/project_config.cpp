#include "server/project_config.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace loopsafe::server {
namespace fs = std::filesystem;
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::shared_ptr<const ProjectConfig> load(const fs::path& file) {
  auto config = std::make_shared<ProjectConfig>();
  config->file = file;
  config->base = file.parent_path();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    config->error = file.string() + ": cannot be read";
    return config;
  }
  std::ostringstream text;
  text << in.rdbuf();
  Settings settings;
  if (const auto problem = parse_pyproject(text.str(), settings)) {
    config->error = file.string() + ":" + std::to_string(problem->line) + ":" +
                    std::to_string(problem->column) + ": " + problem->message;
    return config;  // default settings: analysis goes on
  }
  config->settings = std::move(settings);
  return config;
}

}  // namespace

std::optional<fs::path> uri_to_path(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (!uri.starts_with(kScheme)) return std::nullopt;
  uri.remove_prefix(kScheme.size());
  if (const size_t slash = uri.find('/'); slash != 0) {
    if (slash == std::string_view::npos || uri.substr(0, slash) != "localhost") return std::nullopt;
    uri.remove_prefix(slash);  // file://localhost/path
  }
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
      path += static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2]));
      i += 2;
    } else if (uri[i] == '?' || uri[i] == '#') {
      break;
    } else {
      path += uri[i];
    }
  }
  return fs::path(path).lexically_normal();
}

std::string path_to_uri(const fs::path& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (const char c : path.generic_string()) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::string_view("/-._~").find(c) != std::string_view::npos) {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 15];
    }
  }
  return uri;
}

std::string relative_to(const fs::path& document, const fs::path& base) {
  const fs::path relative = document.lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") return document.filename().generic_string();
  return relative.generic_string();
}

std::shared_ptr<const ProjectConfig> ProjectConfigs::for_document(const fs::path& path) {
  const fs::path directory = path.parent_path();
  if (path.empty() || directory.empty()) {
    static const auto defaults = std::make_shared<const ProjectConfig>();
    return defaults;
  }
  if (const auto it = by_directory_.find(directory); it != by_directory_.end()) return it->second;
  std::shared_ptr<const ProjectConfig> config;
  std::error_code ec;
  for (fs::path dir = directory; !dir.empty(); dir = dir.parent_path()) {
    if (const auto it = by_directory_.find(dir); it != by_directory_.end()) {
      config = it->second;
      break;
    }
    if (fs::is_regular_file(dir / "pyproject.toml", ec)) {
      config = load(dir / "pyproject.toml");
      break;
    }
    if (dir == dir.parent_path()) break;
  }
  if (!config) {
    auto defaults = std::make_shared<ProjectConfig>();
    defaults->base = directory;
    config = defaults;
  }
  by_directory_[directory] = config;
  return config;
}

}  // namespace loopsafe::server
