#include <algorithm>
#include <map>
#include <set>

#include "analysis/fixes/fixes.h"
#include "analysis/suppression.h"

namespace loopsafe {
namespace {

// A comment cannot go at the end of a line that continues with a backslash or inside a string.
bool line_end_takes_comment(const FixContext& ctx, uint32_t line_end) {
  const std::string_view text = ctx.file.text();
  if (line_end > 0 && text[line_end - 1] == '\\') return false;
  const auto& strings = ctx.facts.multiline_strings;
  auto it = std::upper_bound(strings.begin(), strings.end(), line_end,
                             [](uint32_t offset, const Comment& s) { return offset < s.start; });
  return it == strings.begin() || std::prev(it)->end <= line_end;
}

std::optional<TextEdit> noqa_edit(const FixContext& ctx, uint32_t line, const std::set<std::string>& codes) {
  const LineIndex& lines = ctx.file.lines();
  const uint32_t start = lines.line_start(line);
  uint32_t end = lines.line_end(line);
  std::string joined;
  for (const std::string& code : codes) joined += (joined.empty() ? "" : ", ") + code;
  const auto& comments = ctx.facts.comments;
  auto first = std::lower_bound(comments.begin(), comments.end(), start,
                                [](const Comment& c, uint32_t offset) { return c.start < offset; });
  for (auto it = first; it != comments.end() && it->start < end; ++it) {
    const Comment& comment = *it;
    const std::string_view text = ctx.file.text().substr(comment.start, comment.end - comment.start);
    const auto noqa = parse_noqa(text);
    if (noqa && noqa->all) return std::nullopt;  // already suppresses everything
    if (noqa) {
      std::string merged;
      for (const std::string& code : noqa->codes) merged += (merged.empty() ? "" : ", ") + code;
      for (const std::string& code : codes)
        if (std::find(noqa->codes.begin(), noqa->codes.end(), code) == noqa->codes.end())
          merged += ", " + code;
      return TextEdit{comment.start + noqa->codes_start, comment.start + noqa->codes_end, merged};
    }
    // Another comment: the noqa goes first, as flake8 reads `# noqa` at the start of a comment too.
    return TextEdit{comment.start, comment.start, "# noqa: " + joined + " "};
  }
  const std::string_view text = ctx.file.text();
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  if (!line_end_takes_comment(ctx, end)) return std::nullopt;
  return TextEdit{end, end, "  # noqa: " + joined};
}

}  // namespace

std::optional<Fix> noqa_fix(const FixContext& ctx, std::string_view code, uint32_t offset) {
  const uint32_t line = ctx.file.lines().position(offset).line;
  auto edit = noqa_edit(ctx, line, {std::string(code)});
  if (!edit) return std::nullopt;
  return Fix{
      "Suppress with `# noqa: " + std::string(code) + "`", Applicability::Safe, {std::move(*edit)}, true};
}

std::vector<TextEdit> noqa_edits(const FixContext& ctx, const std::vector<Finding>& findings) {
  std::map<uint32_t, std::set<std::string>> codes_by_line;
  for (const Finding& f : findings) codes_by_line[ctx.file.lines().position(f.start).line].insert(f.code);
  std::vector<TextEdit> edits;
  for (const auto& [line, codes] : codes_by_line)
    if (auto edit = noqa_edit(ctx, line, codes)) edits.push_back(std::move(*edit));
  return edits;
}

}  // namespace loopsafe
