#include <nlohmann/json.hpp>

#include "cli/output/report.h"

namespace loopsafe::cli {
namespace {

nlohmann::json range_fields(const SourceFile& file, uint32_t start, uint32_t end) {
  const Location s = location_of(file, start);
  const Location e = location_of(file, end);
  return {{"line", s.line}, {"column", s.column}, {"endLine", e.line}, {"endColumn", e.column}};
}

}  // namespace

void write_json(std::ostream& out, const std::vector<FileReport>& reports) {
  nlohmann::json diagnostics = nlohmann::json::array();
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      nlohmann::json d = range_fields(*r.source, f.start, f.end);
      d["path"] = sanitize_utf8(r.path);
      d["code"] = f.code;
      d["severity"] = severity_name(f.severity);
      d["message"] = sanitize_utf8(f.message);
      nlohmann::json fixes = nlohmann::json::array();
      for (const Fix& fix : f.fixes) {
        nlohmann::json edits = nlohmann::json::array();
        for (const TextEdit& e : fix.edits) {
          nlohmann::json edit = range_fields(*r.source, e.start, e.end);
          edit["newText"] = sanitize_utf8(e.new_text);
          edits.push_back(std::move(edit));
        }
        fixes.push_back({{"title", sanitize_utf8(fix.title)},
                         {"applicability", fix.applicability == Applicability::Safe ? "safe" : "unsafe"},
                         {"edits", std::move(edits)}});
      }
      d["fixes"] = std::move(fixes);
      nlohmann::json related = nlohmann::json::array();
      for (const RelatedLocation& rel : f.related) {
        const Location at = rel.path.empty()
                                ? location_of(*r.source, rel.start)
                                : Location{rel.start_point.line + 1, rel.start_point.code_point_column + 1};
        related.push_back({{"path", rel.path.empty() ? sanitize_utf8(r.path) : sanitize_utf8(rel.path)},
                           {"line", at.line},
                           {"column", at.column},
                           {"message", sanitize_utf8(rel.message)}});
      }
      d["related"] = std::move(related);
      diagnostics.push_back(std::move(d));
    }
  }
  out << nlohmann::json{{"version", 1}, {"diagnostics", std::move(diagnostics)}}.dump(2) << "\n";
}

}  // namespace loopsafe::cli
