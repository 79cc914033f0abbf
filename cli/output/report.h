#pragma once
// The results of a check run as the output formats see them, and the one conversion from byte
// offsets to the 1-based line and Unicode code point column the command line reports.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "analysis/source_file.h"

namespace loopsafe::cli {

struct FileReport {
  std::string path;  // as displayed: relative to the working directory when possible, '/'-separated
  std::shared_ptr<const SourceFile> source;
  std::vector<Finding> findings;
};

struct Location {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in Unicode code points
};

inline Location location_of(const SourceFile& file, uint32_t offset) {
  const LineColumn p = file.lines().position(offset, ColumnUnit::CodePoint);
  return {p.line + 1, p.column + 1};
}

// Source text may hold invalid UTF-8; terminals and JSON get U+FFFD for each invalid byte instead.
std::string sanitize_utf8(std::string_view text);

enum class OutputFormat { Text, Concise, Json, Sarif, Github };

void write_text(std::ostream& out, const std::vector<FileReport>& reports, bool show_source);
void write_json(std::ostream& out, const std::vector<FileReport>& reports);
void write_sarif(std::ostream& out, const std::vector<FileReport>& reports);
void write_github(std::ostream& out, const std::vector<FileReport>& reports);
void write_statistics(std::ostream& out, const std::vector<FileReport>& reports);

}  // namespace loopsafe::cli
