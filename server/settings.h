#pragma once
// The editor's settings for loopsafe: one object, camelCase keys, from initializationOptions,
// workspace/configuration (section "loopsafe") or workspace/didChangeConfiguration. They override
// the [tool.loopsafe] table of the document's pyproject.toml.
#include <optional>
#include <string>
#include <vector>

#include "analysis/config.h"
#include "server/protocol.h"

namespace loopsafe::server {

struct ServerSettings {
  bool enable = true;
  std::vector<std::string> select;  // replaces the pyproject's select when not empty
  std::vector<std::string> ignore;  // added to the pyproject's ignore
  bool transitive = true;
  std::optional<int> debounce_ms;  // null: adaptive
  std::string log_level = "info";
  std::optional<std::string> docs_url;  // a template with {code}
  double max_file_size_mb = 20;
  int parse_timeout_ms = 5000;  // a parse that takes longer is given up and the file not analysed
};

// Sets the keys present in `object` on `settings`; values of the wrong type or unknown rule codes are
// skipped, each with a line in `problems`.
void overlay_settings(ServerSettings& settings, const json& object, std::vector<std::string>& problems);

// The settings object inside what a client sent: {"loopsafe": {...}}, {"settings": {...}} or the object.
const json& settings_object(const json& sent);

// The analysis settings for a document: the pyproject's with the editor's overrides.
Settings effective_settings(const Settings& project, const ServerSettings& editor);

// "https://example.com/{code}.html" with {code} replaced.
std::string docs_link(const std::string& url_template, const std::string& code);

}  // namespace loopsafe::server
