#include "server/settings.h"

namespace loopsafe::server {
namespace {

std::optional<std::vector<std::string>> code_list(const json& value, const char* key,
                                                  std::vector<std::string>& problems) {
  if (!value.is_array()) {
    problems.push_back(std::string("setting `") + key + "` must be a list of rule codes");
    return std::nullopt;
  }
  std::vector<std::string> codes;
  for (const json& item : value) {
    if (!item.is_string() || !is_valid_selector(item.get<std::string>())) {
      problems.push_back(std::string("setting `") + key + "`: unknown rule code or prefix " + item.dump());
      continue;
    }
    codes.push_back(item.get<std::string>());
  }
  return codes;
}

}  // namespace

const json& settings_object(const json& sent) {
  if (sent.is_object()) {
    if (const auto it = sent.find("loopsafe"); it != sent.end() && it->is_object()) return *it;
    if (const auto it = sent.find("settings"); it != sent.end() && it->is_object()) return *it;
  }
  return sent;
}

void overlay_settings(ServerSettings& settings, const json& object, std::vector<std::string>& problems) {
  if (!object.is_object()) return;
  // Not a structured binding: clang before 16 cannot capture one in the lambda below.
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    const json& value = item.value();
    const auto wrong_type = [&](const char* expected) {
      problems.push_back("setting `" + key + "` must be " + expected + ", not " + value.dump());
    };
    if (key == "enable") {
      value.is_boolean() ? void(settings.enable = value.get<bool>()) : wrong_type("true or false");
    } else if (key == "transitive") {
      value.is_boolean() ? void(settings.transitive = value.get<bool>()) : wrong_type("true or false");
    } else if (key == "select") {
      if (auto codes = code_list(value, "select", problems)) settings.select = std::move(*codes);
    } else if (key == "ignore") {
      if (auto codes = code_list(value, "ignore", problems)) settings.ignore = std::move(*codes);
    } else if (key == "debounceMs") {
      if (value.is_null())
        settings.debounce_ms.reset();
      else if (value.is_number() && value.get<double>() >= 0 && value.get<double>() <= 60000)
        settings.debounce_ms = static_cast<int>(value.get<double>());
      else
        wrong_type("null or a number of milliseconds (0 to 60000)");
    } else if (key == "logLevel") {
      static const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
      if (value.is_string() &&
          std::find(levels.begin(), levels.end(), value.get<std::string>()) != levels.end())
        settings.log_level = value.get<std::string>();
      else
        wrong_type("one of trace, debug, info, warn, error, off");
    } else if (key == "docsUrl") {
      if (value.is_null())
        settings.docs_url.reset();
      else if (value.is_string())
        settings.docs_url = value.get<std::string>();
      else
        wrong_type("null or a URL template");
    } else if (key == "maxFileSizeMb") {
      value.is_number() && value.get<double>() > 0 ? void(settings.max_file_size_mb = value.get<double>())
                                                   : wrong_type("a positive number");
    } else if (key == "parseTimeoutMs") {
      value.is_number() && value.get<double>() >= 1 && value.get<double>() <= 600000
          ? void(settings.parse_timeout_ms = static_cast<int>(value.get<double>()))
          : wrong_type("a number of milliseconds (1 to 600000)");
    } else {
      problems.push_back("unknown setting `" + key + "`");
    }
  }
}

Settings effective_settings(const Settings& project, const ServerSettings& editor) {
  Settings settings = project;
  if (!editor.select.empty()) settings.select = editor.select;
  settings.ignore.insert(settings.ignore.end(), editor.ignore.begin(), editor.ignore.end());
  settings.transitive = settings.transitive && editor.transitive;
  return settings;
}

std::string docs_link(const std::string& url_template, const std::string& code) {
  std::string url = url_template;
  for (size_t at = url.find("{code}"); at != std::string::npos; at = url.find("{code}", at + code.size()))
    url.replace(at, 6, code);
  return url;
}

}  // namespace loopsafe::server
