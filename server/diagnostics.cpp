#include "server/diagnostics.h"

#include "server/positions.h"

namespace loopsafe::server {
namespace {

int lsp_severity(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return 1;
    case Severity::Warning:
      return 2;
    case Severity::Info:
      return 3;
    case Severity::Hint:
      return 4;
  }
  return 2;
}

}  // namespace

json to_diagnostic(const AnalysisResult& analysis, const Finding& finding, const ClientCapabilities& client,
                   const ServerSettings& settings) {
  const LineIndex& lines = analysis.source->lines();
  json d = {{"range", to_range(lines, finding.start, finding.end, client.encoding)},
            {"severity", lsp_severity(finding.severity)},
            {"code", finding.code},
            {"source", "loopsafe"},
            {"message", finding.message},
            {"data",
             {{"uri", analysis.uri},
              {"version", analysis.version},
              {"code", finding.code},
              {"start", finding.start}}}};
  if (settings.docs_url) d["codeDescription"] = {{"href", docs_link(*settings.docs_url, finding.code)}};
  if (client.related_information && !finding.related.empty()) {
    json related = json::array();
    for (const RelatedLocation& r : finding.related) {
      if (r.path.empty()) {
        related.push_back(
            {{"location",
              {{"uri", analysis.uri}, {"range", to_range(lines, r.start, r.end, client.encoding)}}},
             {"message", r.message}});
        continue;
      }
      // Another file (its URI): the positions came with the location, in every unit.
      const auto position = [&](const TextPoint& p) {
        return json{
            {"line", p.line},
            {"character", client.encoding == PositionEncoding::Utf8 ? p.byte_column : p.utf16_column}};
      };
      related.push_back({{"location",
                          {{"uri", r.path},
                           {"range", {{"start", position(r.start_point)}, {"end", position(r.end_point)}}}}},
                         {"message", r.message}});
    }
    if (!related.empty()) d["relatedInformation"] = std::move(related);
  }
  return d;
}

json to_diagnostics(const AnalysisResult& analysis, const ClientCapabilities& client,
                    const ServerSettings& settings) {
  json items = json::array();
  if (analysis.not_analysed) {
    items.push_back(
        {{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
         {"severity", 3},
         {"code", "loopsafe"},
         {"source", "loopsafe"},
         {"message", *analysis.not_analysed}});
    return items;
  }
  if (!analysis.source) return items;
  for (const Finding& f : analysis.findings) items.push_back(to_diagnostic(analysis, f, client, settings));
  return items;
}

const Finding* find_finding(const AnalysisResult& analysis, const json& diagnostic,
                            PositionEncoding encoding) {
  if (!analysis.source || !diagnostic.is_object()) return nullptr;
  const json& source = optional_member(diagnostic, "source");
  if (source.is_string() && source != "loopsafe") return nullptr;
  const json& data = optional_member(diagnostic, "data");
  const json& version = optional_member(data, "version");
  const json& code = optional_member(data, "code");
  const json& start = optional_member(data, "start");
  if (version.is_number_integer() && version.get<int64_t>() == analysis.version && code.is_string() &&
      start.is_number_unsigned()) {
    for (const Finding& f : analysis.findings)
      if (f.code == code && f.start == start.get<uint64_t>()) return &f;
    return nullptr;
  }
  // No data (or from another version): the finding with the same code at the same range.
  const json& diagnostic_code = optional_member(diagnostic, "code");
  const json& range = optional_member(diagnostic, "range");
  if (!diagnostic_code.is_string() || !range.is_object()) return nullptr;
  for (const Finding& f : analysis.findings)
    if (f.code == diagnostic_code && to_range(analysis.source->lines(), f.start, f.end, encoding) == range)
      return &f;
  return nullptr;
}

}  // namespace loopsafe::server
