#include "analysis/glob.h"

#include <string>

namespace loopsafe {
namespace {

// Matches one class at pattern[p] == '['; returns the index after ']' or npos when malformed.
size_t match_class(std::string_view pattern, size_t p, char c, bool* matched) {
  size_t i = p + 1;
  const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool hit = false;
  const size_t first = i;
  for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) hit = true;
      i += 2;
    } else if (pattern[i] == c) {
      hit = true;
    }
  }
  if (i >= pattern.size()) return std::string_view::npos;
  *matched = hit != negate;
  return i + 1;
}

bool match_simple(std::string_view pattern, std::string_view text) {
  // Iterative matching with backtracking to the last `*`: linear in practice, no recursion.
  size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      star_p = p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      if (pattern[p] == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pattern[p] == '[') {
        bool matched = false;
        const size_t next = match_class(pattern, p, text[t], &matched);
        if (next != std::string_view::npos) {
          if (matched) {
            p = next;
            ++t;
            continue;
          }
        } else if (text[t] == '[') {
          ++p;
          ++t;
          continue;
        }
      } else if (pattern[p] == text[t]) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  if (match_simple(pattern, text)) return true;
  // `dir/**/x.py` also matches `dir/x.py`.
  const auto double_star = pattern.find("**/");
  if (double_star == std::string_view::npos) return false;
  std::string shorter(pattern.substr(0, double_star));
  shorter += pattern.substr(double_star + 3);
  return glob_match(shorter, text);
}

}  // namespace loopsafe
