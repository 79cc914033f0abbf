#include "server/diagnostics.h"

#include "server/positions.h"
#include "server/transport/json_text.h"

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

// `before` (the JSON text up to the value, `,"key":`), then the value.
void append_member(std::string& out, std::string_view before, std::string_view value) {
  out += before;
  append_json_string(out, value);
}

void append_member(std::string& out, std::string_view before, int64_t value) {
  out += before;
  append_json_number(out, value);
}

void append_position(std::string& out, uint32_t line, uint32_t character) {
  append_member(out, "{\"line\":", line);
  append_member(out, ",\"character\":", character);
  out += '}';
}

void append_range(std::string& out, LineColumn from, LineColumn to) {
  out += "{\"start\":";
  append_position(out, from.line, from.column);
  out += ",\"end\":";
  append_position(out, to.line, to.column);
  out += '}';
}

void append_range(std::string& out, const LineIndex& lines, uint32_t start, uint32_t end,
                  PositionEncoding encoding) {
  append_range(out, lsp_position(lines, start, encoding), lsp_position(lines, end, encoding));
}

void append_diagnostic(std::string& out, const AnalysisResult& analysis, const Finding& finding,
                       const ClientCapabilities& client, const ServerSettings& settings) {
  const LineIndex& lines = analysis.source->lines();
  out += "{\"range\":";
  append_range(out, lines, finding.start, finding.end, client.encoding);
  append_member(out, ",\"severity\":", lsp_severity(finding.severity));
  append_member(out, ",\"code\":", finding.code);
  append_member(out, ",\"source\":\"loopsafe\",\"message\":", finding.message);
  append_member(out, ",\"data\":{\"uri\":", analysis.uri);
  append_member(out, ",\"version\":", analysis.version);
  append_member(out, ",\"code\":", finding.code);
  append_member(out, ",\"start\":", finding.start);
  out += '}';
  if (settings.docs_url) {
    append_member(out, ",\"codeDescription\":{\"href\":", docs_link(*settings.docs_url, finding.code));
    out += '}';
  }
  if (client.related_information && !finding.related.empty()) {
    out += ",\"relatedInformation\":[";
    for (const RelatedLocation& r : finding.related) {
      if (&r != &finding.related.front()) out += ',';
      if (r.path.empty()) {
        append_member(out, "{\"location\":{\"uri\":", analysis.uri);
        out += ",\"range\":";
        append_range(out, lines, r.start, r.end, client.encoding);
      } else {
        // Another file (its URI): the positions came with the location, in every unit.
        const auto column = [&](const TextPoint& p) {
          return client.encoding == PositionEncoding::Utf8 ? p.byte_column : p.utf16_column;
        };
        append_member(out, "{\"location\":{\"uri\":", r.path);
        out += ",\"range\":";
        append_range(out, {r.start_point.line, column(r.start_point)},
                     {r.end_point.line, column(r.end_point)});
      }
      append_member(out, "},\"message\":", r.message);
      out += '}';
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

std::string diagnostics_json(const AnalysisResult& analysis, const ClientCapabilities& client,
                             const ServerSettings& settings) {
  std::string out = "[";
  if (analysis.not_analysed) {
    out += "{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}}";
    append_member(out, ",\"severity\":3,\"code\":\"loopsafe\",\"source\":\"loopsafe\",\"message\":",
                  *analysis.not_analysed);
    out += "}]";
    return out;
  }
  if (analysis.source) {
    out.reserve(analysis.findings.size() * 512);
    for (const Finding& f : analysis.findings) {
      if (out.size() > 1) out += ',';
      append_diagnostic(out, analysis, f, client, settings);
    }
  }
  out += ']';
  return out;
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
