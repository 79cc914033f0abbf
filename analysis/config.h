#pragma once
// loopsafe's settings and their reading from the text of a pyproject.toml ([tool.loopsafe], keys in
// kebab-case). Reading files is the caller's job; this only parses text.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/finding.h"

namespace loopsafe {

struct PythonVersion {
  int major = 3;
  int minor = 0;
  auto operator<=>(const PythonVersion&) const = default;
};

struct Settings {
  std::vector<std::string> select;  // empty: every rule
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;  // glob -> code prefixes
  std::vector<std::pair<std::string, std::string>> extend_blocking_calls;          // glob -> alternative
  std::map<std::string, Severity> severity;
  std::vector<std::string> exclude;
  // Lowest Python the project supports (from [project] requires-python); fixes must run there.
  std::optional<PythonVersion> min_python;
  // Project-wide analysis: report async code that blocks through the project's sync helpers (LS200),
  // through chains of at most `max_depth` helpers.
  bool transitive = true;
  std::optional<int> max_depth;
  std::optional<std::string> cache_dir;  // as written: relative to the config's directory

  bool enabled(std::string_view code) const;
  bool ignored_for_path(std::string_view code, std::string_view relative_path) const;
  Severity severity_of(std::string_view code) const;
};

struct ConfigError {
  std::string message;  // names the key and what is wrong
  int line = 0;         // 1-based, 0 when unknown
  int column = 0;
};

// Parses pyproject.toml text into `settings` (keys absent from the file keep their value). Returns an
// error for invalid TOML, unknown keys and values of the wrong type.
std::optional<ConfigError> parse_pyproject(std::string_view toml_text, Settings& settings);

// A rule selector: a code or a prefix of codes ("ASYNC", "ASYNC2", "LS1", "ALL").
bool is_valid_selector(std::string_view selector);

// The lowest Python version a PEP 440 specifier such as ">=3.8,<4" admits.
std::optional<PythonVersion> lowest_python(std::string_view requires_python);

}  // namespace loopsafe
