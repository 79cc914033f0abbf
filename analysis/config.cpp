#include "analysis/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>

#include "analysis/catalog/catalog.h"
#include "analysis/glob.h"

namespace loopsafe {
namespace {

// The longest selector that matches wins; on a tie, ignore wins (like ruff).
size_t longest_match(const std::vector<std::string>& selectors, std::string_view code) {
  size_t best = 0;
  for (const std::string& s : selectors) {
    if (s == "ALL")
      best = std::max<size_t>(best, 1);
    else if (code.starts_with(s))
      best = std::max(best, s.size() + 1);
  }
  return best;
}

ConfigError error_at(const toml::node& node, std::string message) {
  const auto& where = node.source().begin;
  return ConfigError{std::move(message), static_cast<int>(where.line), static_cast<int>(where.column)};
}

std::optional<ConfigError> read_strings(const toml::node& node, std::string_view key,
                                        std::vector<std::string>& out, bool selectors) {
  const toml::array* array = node.as_array();
  if (!array) return error_at(node, "`" + std::string(key) + "` must be an array of strings");
  out.clear();
  for (const toml::node& item : *array) {
    const auto value = item.value<std::string>();
    if (!value) return error_at(item, "`" + std::string(key) + "` must contain only strings");
    if (selectors && !is_valid_selector(*value))
      return error_at(item, "`" + std::string(key) + "`: unknown rule code or prefix `" + *value + "`");
    out.push_back(*value);
  }
  return std::nullopt;
}

std::optional<ConfigError> read_tool_table(const toml::table& tool, Settings& settings) {
  for (const auto& [key_node, value] : tool) {
    const std::string key(key_node.str());
    std::optional<ConfigError> error;
    if (key == "select") {
      error = read_strings(value, key, settings.select, true);
    } else if (key == "extend-select") {
      error = read_strings(value, key, settings.extend_select, true);
    } else if (key == "ignore") {
      error = read_strings(value, key, settings.ignore, true);
    } else if (key == "exclude" || key == "extend-exclude") {
      std::vector<std::string> patterns;
      error = read_strings(value, key, patterns, false);
      if (key == "exclude") settings.exclude.clear();
      settings.exclude.insert(settings.exclude.end(), patterns.begin(), patterns.end());
    } else if (key == "per-file-ignores") {
      const toml::table* table = value.as_table();
      if (!table) return error_at(value, "`per-file-ignores` must be a table of glob = [codes]");
      settings.per_file_ignores.clear();
      for (const auto& [glob, codes] : *table) {
        std::vector<std::string> list;
        if ((error = read_strings(codes, "per-file-ignores", list, true))) return error;
        settings.per_file_ignores.emplace_back(std::string(glob.str()), std::move(list));
      }
    } else if (key == "extend-blocking-calls") {
      const toml::table* table = value.as_table();
      if (!table)
        return error_at(value,
                        "`extend-blocking-calls` must be a table of \"name or glob\" = \"alternative\"");
      settings.extend_blocking_calls.clear();
      for (const auto& [pattern, alternative] : *table) {
        const auto text = alternative.value<std::string>();
        if (!text)
          return error_at(alternative, "`extend-blocking-calls`: the alternative for `" +
                                           std::string(pattern.str()) + "` must be a string");
        settings.extend_blocking_calls.emplace_back(std::string(pattern.str()), *text);
      }
    } else if (key == "severity") {
      const toml::table* table = value.as_table();
      if (!table) return error_at(value, "`severity` must be a table of CODE = \"error|warning|info|hint\"");
      for (const auto& [code, level] : *table) {
        const auto text = level.value<std::string>();
        static const std::map<std::string, Severity, std::less<>> levels = {{"error", Severity::Error},
                                                                            {"warning", Severity::Warning},
                                                                            {"info", Severity::Info},
                                                                            {"hint", Severity::Hint}};
        const auto it = text ? levels.find(*text) : levels.end();
        if (it == levels.end())
          return error_at(
              level, "`severity." + std::string(code.str()) + "` must be one of error, warning, info, hint");
        if (!is_valid_selector(code.str()))
          return error_at(level, "`severity`: unknown rule code `" + std::string(code.str()) + "`");
        settings.severity[std::string(code.str())] = it->second;
      }
    } else if (key == "transitive") {
      const auto flag = value.value<bool>();
      if (!flag || !value.is_boolean()) return error_at(value, "`transitive` must be true or false");
      settings.transitive = *flag;
    } else if (key == "max-depth") {
      const auto depth = value.value<int64_t>();
      if (!value.is_integer() || !depth || *depth < 1)
        return error_at(value, "`max-depth` must be a positive integer");
      settings.max_depth = static_cast<int>(std::min<int64_t>(*depth, 1000));
    } else if (key == "cache-dir") {
      const auto dir = value.value<std::string>();
      if (!value.is_string() || !dir || dir->empty()) return error_at(value, "`cache-dir` must be a path");
      settings.cache_dir = *dir;
    } else {
      return error_at(value, "unknown key `" + key + "` in [tool.loopsafe]");
    }
    if (error) return error;
  }
  return std::nullopt;
}

}  // namespace

bool Settings::enabled(std::string_view code) const {
  size_t selected = select.empty() ? 1 : longest_match(select, code);
  selected = std::max(selected, longest_match(extend_select, code));
  return selected > 0 && selected > longest_match(ignore, code);
}

bool Settings::ignored_for_path(std::string_view code, std::string_view relative_path) const {
  const auto slash = relative_path.rfind('/');
  const std::string_view basename =
      slash == std::string_view::npos ? relative_path : relative_path.substr(slash + 1);
  for (const auto& [glob, codes] : per_file_ignores) {
    if (!glob_match(glob, relative_path) && !glob_match(glob, basename)) continue;
    if (longest_match(codes, code) > 0) return true;
  }
  return false;
}

Severity Settings::severity_of(std::string_view code) const {
  size_t best = 0;
  Severity result = Severity::Warning;
  for (const auto& [selector, level] : severity) {
    const size_t score = longest_match({selector}, code);
    if (score > best) {
      best = score;
      result = level;
    }
  }
  return result;
}

bool is_valid_selector(std::string_view selector) {
  if (selector == "ALL") return true;
  if (selector.empty()) return false;
  return std::any_of(all_rule_codes().begin(), all_rule_codes().end(),
                     [&](std::string_view code) { return code.starts_with(selector); });
}

std::optional<PythonVersion> lowest_python(std::string_view spec) {
  // Takes the smallest version named by a lower-bound clause (>=, >, ==, ~=).
  std::optional<PythonVersion> lowest;
  size_t i = 0;
  while (i < spec.size()) {
    const size_t end = std::min(spec.find(',', i), spec.size());
    std::string_view clause = spec.substr(i, end - i);
    i = end + 1;
    while (!clause.empty() && clause.front() == ' ') clause.remove_prefix(1);
    std::string_view op;
    for (std::string_view candidate : {">=", "~=", "==", ">"})
      if (clause.starts_with(candidate)) {
        op = candidate;
        break;
      }
    if (op.empty()) continue;
    clause.remove_prefix(op.size());
    while (!clause.empty() && clause.front() == ' ') clause.remove_prefix(1);
    PythonVersion v;
    auto [p, ec] = std::from_chars(clause.data(), clause.data() + clause.size(), v.major);
    if (ec != std::errc()) continue;
    if (p < clause.data() + clause.size() && *p == '.')
      std::from_chars(p + 1, clause.data() + clause.size(), v.minor);
    if (!lowest || v < *lowest) lowest = v;
  }
  return lowest;
}

std::optional<ConfigError> parse_pyproject(std::string_view toml_text, Settings& settings) {
  toml::table document;
  try {
    document = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return ConfigError{std::string(e.description()), static_cast<int>(e.source().begin.line),
                       static_cast<int>(e.source().begin.column)};
  }
  if (const toml::node* requires_python = document.at_path("project.requires-python").node()) {
    const auto text = requires_python->value<std::string>();
    if (!text) return error_at(*requires_python, "`project.requires-python` must be a string");
    settings.min_python = lowest_python(*text);
  }
  const toml::node* tool = document.at_path("tool.loopsafe").node();
  if (!tool) return std::nullopt;
  const toml::table* table = tool->as_table();
  if (!table) return error_at(*tool, "[tool.loopsafe] must be a table");
  return read_tool_table(*table, settings);
}

}  // namespace loopsafe
