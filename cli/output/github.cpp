// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
#include "cli/output/report.h"

namespace loopsafe::cli {
namespace {

std::string escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

}  // namespace

void write_github(std::ostream& out, const std::vector<FileReport>& reports) {
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      const Location s = location_of(*r.source, f.start);
      const Location e = location_of(*r.source, f.end);
      const char* command = f.severity == Severity::Error     ? "error"
                            : f.severity == Severity::Warning ? "warning"
                                                              : "notice";
      out << "::" << command << " file=" << escape(sanitize_utf8(r.path), true) << ",line=" << s.line
          << ",col=" << s.column << ",endLine=" << e.line << ",endColumn=" << e.column
          << ",title=" << escape("loopsafe (" + f.code + ")", true)
          << "::" << escape(f.code + " " + sanitize_utf8(f.message), false) << "\n";
    }
  }
}

}  // namespace loopsafe::cli
