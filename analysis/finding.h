#pragma once
// What analysis reports: a rule code at a byte range, with a message, optional related locations
// (the hops of a chain) and fixes as byte-range text edits. Conversion to lines happens outside.
#include <cstdint>
#include <string>
#include <vector>

namespace loopsafe {

enum class Severity { Error, Warning, Info, Hint };
enum class Applicability { Safe, Unsafe };

struct TextEdit {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string new_text;
  bool operator==(const TextEdit&) const = default;
};

struct Fix {
  std::string title;
  Applicability applicability = Applicability::Unsafe;
  std::vector<TextEdit> edits;  // non-overlapping, sorted by start
  bool suppression = false;     // adds a `# noqa`: offered in editors, never applied by --fix
  // Text whose meaning the fix changes beyond its edits (a whole function for `async def` -> `def`):
  // applying fixes together, no other fix may edit inside it.
  uint32_t region_start = 0;
  uint32_t region_end = 0;
  bool operator==(const Fix&) const = default;
};

// A position as each consumer counts columns: reports about one file convert offsets with that file's
// text, but a location in another file must carry its own.
struct TextPoint {
  uint32_t line = 0;  // 0-based
  uint32_t byte_column = 0;
  uint32_t utf16_column = 0;
  uint32_t code_point_column = 0;
  bool operator==(const TextPoint&) const = default;
};

struct RelatedLocation {
  std::string path;  // empty: the same file
  uint32_t start = 0;
  uint32_t end = 0;
  std::string message;
  TextPoint start_point;  // set when `path` names another file
  TextPoint end_point;
  bool operator==(const RelatedLocation&) const = default;
};

struct Finding {
  std::string code;
  uint32_t start = 0;
  uint32_t end = 0;
  std::string message;
  Severity severity = Severity::Warning;
  std::vector<RelatedLocation> related;
  std::vector<Fix> fixes;  // the preferred (safest) fix first
  bool operator==(const Finding&) const = default;
};

const char* severity_name(Severity severity);

}  // namespace loopsafe
