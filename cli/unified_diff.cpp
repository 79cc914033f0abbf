#include "cli/unified_diff.h"

#include <algorithm>
#include <vector>

namespace loopsafe::cli {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') {
      lines.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

enum class Op { Keep, Remove, Add };

// Fixes change few lines: trim the common head and tail, then diff the middle by LCS, which stays small.
std::vector<std::pair<Op, std::string_view>> diff_lines(const std::vector<std::string_view>& a,
                                                        const std::vector<std::string_view>& b) {
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  const size_t n = a.size() - head - tail, m = b.size() - head - tail;
  std::vector<std::pair<Op, std::string_view>> ops;
  for (size_t i = 0; i < head; ++i) ops.emplace_back(Op::Keep, a[i]);
  if (n * m <= 4'000'000) {
    std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        lcs[i][j] =
            a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        ops.emplace_back(Op::Keep, a[head + i]);
        ++i, ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.emplace_back(Op::Remove, a[head + i++]);
      } else {
        ops.emplace_back(Op::Add, b[head + j++]);
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) ops.emplace_back(Op::Remove, a[head + i]);
    for (size_t j = 0; j < m; ++j) ops.emplace_back(Op::Add, b[head + j]);
  }
  for (size_t i = a.size() - tail; i < a.size(); ++i) ops.emplace_back(Op::Keep, a[i]);
  return ops;
}

}  // namespace

std::string unified_diff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  const auto ops = diff_lines(split_lines(before), split_lines(after));
  constexpr size_t kContext = 3;
  std::string out = "--- " + std::string(path) + "\n+++ " + std::string(path) + "\n";
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i].first == Op::Keep) {
      ++i;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext lines after the last change close to it.
    size_t start = i >= kContext ? i - kContext : 0;
    size_t end = i;
    while (end < ops.size()) {
      if (ops[end].first != Op::Keep) {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < ops.size() && ops[run].first == Op::Keep) ++run;
      if (run == ops.size() || run - end > 2 * kContext) {
        end = std::min(run, end + kContext);
        break;
      }
      end = run;
    }
    size_t old_line = 1, new_line = 1;
    for (size_t k = 0; k < start; ++k) {
      if (ops[k].first != Op::Add) ++old_line;
      if (ops[k].first != Op::Remove) ++new_line;
    }
    size_t old_count = 0, new_count = 0;
    std::string body;
    for (size_t k = start; k < end; ++k) {
      const char sign = ops[k].first == Op::Keep ? ' ' : ops[k].first == Op::Remove ? '-' : '+';
      if (ops[k].first != Op::Add) ++old_count;
      if (ops[k].first != Op::Remove) ++new_count;
      body += sign;
      body += ops[k].second;
      if (body.back() != '\n') body += "\n\\ No newline at end of file\n";
    }
    out += "@@ -" + std::to_string(old_line) + "," + std::to_string(old_count) + " +" +
           std::to_string(new_line) + "," + std::to_string(new_count) + " @@\n" + body;
    i = end;
  }
  return out;
}

}  // namespace loopsafe::cli
