#pragma once
// One analysis of one version of a document, as handlers see it: the parsed text the byte offsets of
// the findings refer to, and the findings. Immutable once made; shared between threads.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/config.h"
#include "analysis/finding.h"
#include "analysis/incremental.h"
#include "analysis/source_file.h"

namespace loopsafe::server {

struct AnalysisResult {
  std::string uri;
  int version = 0;
  uint64_t generation = 0;                   // of the document's text and settings it was made from
  uint64_t project_revision = 0;             // counts the project findings merged into this generation's
  std::shared_ptr<const SourceFile> source;  // null when the document was not analysed
  std::vector<Finding> findings;
  std::optional<std::string> not_analysed;  // why, when not (file too large, parse too slow)
  bool cancelled = false;                   // a newer version stopped its parse: never used
  Settings settings;                        // the analysis settings used, for fixes that re-check
  std::string relative_path;
  double milliseconds = 0;
  // For the next version's incremental check: valid under the same settings epoch only.
  std::shared_ptr<const IncrementalState> incremental;
  uint64_t settings_epoch = 0;
  bool reused = false;  // made incrementally from the previous result
  // When project-wide findings (LS200, LS302 of other modules) are merged into `findings`: the file's
  // own, which the next incremental check starts from.
  std::optional<std::vector<Finding>> own_findings;
  const std::vector<Finding>& file_findings() const { return own_findings ? *own_findings : findings; }
};

}  // namespace loopsafe::server
