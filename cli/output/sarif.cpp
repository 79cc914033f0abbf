// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/catalog/catalog.h"
#include "analysis/rule_docs.h"
#include "cli/output/report.h"

namespace loopsafe::cli {

void write_sarif(std::ostream& out, const std::vector<FileReport>& reports) {
  nlohmann::json rules = nlohmann::json::array();
  for (std::string_view code : all_rule_codes()) {
    rules.push_back({{"id", code},
                     {"name", rule_name(code)},
                     {"shortDescription", {{"text", rule_summary(code)}}},
                     {"fullDescription", {{"text", rule_summary(code)}}},
                     {"help", {{"text", rule_doc(code)}, {"markdown", rule_doc(code)}}},
                     {"defaultConfiguration", {{"level", "warning"}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      const Location s = location_of(*r.source, f.start);
      const Location e = location_of(*r.source, f.end);
      const char* level = f.severity == Severity::Error     ? "error"
                          : f.severity == Severity::Warning ? "warning"
                                                            : "note";
      results.push_back(
          {{"ruleId", f.code},
           {"level", level},
           {"message", {{"text", sanitize_utf8(f.message)}}},
           {"locations",
            {{{"physicalLocation",
               {{"artifactLocation", {{"uri", sanitize_utf8(r.path)}, {"uriBaseId", "%SRCROOT%"}}},
                {"region",
                 {{"startLine", s.line},
                  {"startColumn", s.column},
                  {"endLine", e.line},
                  {"endColumn", e.column}}}}}}}}});
    }
  }
  const nlohmann::json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                              {"version", "2.1.0"},
                              {"runs",
                               {{{"tool",
                                  {{"driver",
                                    {{"name", "loopsafe"},
                                     {"version", LOOPSAFE_VERSION},
                                     {"informationUri", "https://github.com/loopsafe/loopsafe"},
                                     {"rules", std::move(rules)}}}}},
                                 {"results", std::move(results)}}}}};
  out << log.dump(2) << "\n";
}

}  // namespace loopsafe::cli
