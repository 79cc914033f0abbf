#include <algorithm>
#include <map>

#include "analysis/rule_docs.h"
#include "cli/output/report.h"

namespace loopsafe::cli {
namespace {

// Tabs become single spaces so the caret line, counted in code points, lines up.
std::string printable(std::string_view line) {
  std::string out = sanitize_utf8(line);
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

void write_snippet(std::ostream& out, const SourceFile& file, const Finding& f) {
  const Location start = location_of(file, f.start);
  const Location end = location_of(file, f.end);
  const std::string number = std::to_string(start.line);
  const std::string gutter(number.size(), ' ');
  const uint32_t width = end.line == start.line && end.column > start.column ? end.column - start.column : 1;
  out << gutter << " |\n"
      << number << " | " << printable(file.lines().line_text(start.line - 1)) << "\n"
      << gutter << " | " << std::string(start.column - 1, ' ') << std::string(width, '^') << "\n";
  if (!f.fixes.empty() && !f.fixes.front().suppression)
    out << gutter << " = fix (" << (f.fixes.front().applicability == Applicability::Safe ? "safe" : "unsafe")
        << "): " << f.fixes.front().title << "\n";
  out << "\n";
}

}  // namespace

void write_text(std::ostream& out, const std::vector<FileReport>& reports, bool show_source) {
  size_t total = 0, safe = 0, unsafe = 0;
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      const Location at = location_of(*r.source, f.start);
      out << r.path << ":" << at.line << ":" << at.column << ": " << f.code << " " << f.message << "\n";
      if (show_source) write_snippet(out, *r.source, f);
      ++total;
      if (!f.fixes.empty() && !f.fixes.front().suppression)
        ++(f.fixes.front().applicability == Applicability::Safe ? safe : unsafe);
    }
  }
  if (!show_source) return;
  if (total == 0) {
    out << "All checks passed!\n";
    return;
  }
  out << "Found " << total << (total == 1 ? " blocking call or misuse." : " blocking calls or misuses.")
      << "\n";
  if (safe) out << "[*] " << safe << " fixable with `loopsafe check --fix`.\n";
  if (unsafe)
    out << "    " << unsafe
        << " more fixable with `--fix --unsafe-fixes` (review them: they change behaviour).\n";
}

void write_statistics(std::ostream& out, const std::vector<FileReport>& reports) {
  std::map<std::string, size_t> counts;
  for (const FileReport& r : reports)
    for (const Finding& f : r.findings) ++counts[f.code];
  std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [code, count] : rows) {
    std::string number = std::to_string(count);
    out << std::string(number.size() < 5 ? 5 - number.size() : 0, ' ') << number << "  " << code
        << std::string(code.size() < 9 ? 9 - code.size() : 1, ' ') << rule_name(code) << "\n";
  }
}

}  // namespace loopsafe::cli
