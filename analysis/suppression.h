#pragma once
// `# noqa` comments (flake8 syntax) and `# loopsafe: skip-file`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/facts.h"
#include "analysis/finding.h"

namespace loopsafe {

struct Noqa {
  bool all = false;                // bare `# noqa`
  std::vector<std::string> codes;  // `# noqa: ASYNC251, LS101`
  uint32_t codes_start = 0;        // byte range of the code list within the comment
  uint32_t codes_end = 0;
};

// Reads a noqa directive from one comment's text (starting at '#'), case-insensitively.
std::optional<Noqa> parse_noqa(std::string_view comment);

// True when a comment before the first statement says `loopsafe: skip-file`.
bool has_skip_file(const SourceFile& file, const FileFacts& facts);

// The noqa comments of a file by line, read once for many questions.
class NoqaLines {
 public:
  NoqaLines(const SourceFile& file, const FileFacts& facts);
  // True when a noqa comment on the line holding `offset` suppresses `code`.
  bool suppresses(std::string_view code, uint32_t offset) const;
  bool empty() const { return by_line_.empty(); }

 private:
  const SourceFile& file_;
  std::unordered_map<uint32_t, Noqa> by_line_;
};

// Drops findings suppressed by a noqa comment on the line where they start.
void apply_noqa(const SourceFile& file, const FileFacts& facts, std::vector<Finding>& findings);

}  // namespace loopsafe
