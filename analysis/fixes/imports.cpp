#include <algorithm>

#include "analysis/fixes/fixes.h"
#include "analysis/syntax.h"

namespace loopsafe {

namespace {

// True when `rest`, what follows a statement on its line, is a backslash continuation: the next line
// (even an empty one) belongs to the statement, so nothing may be inserted before it.
bool continues(std::string_view rest) {
  while (!rest.empty() &&
         (rest.back() == '\n' || rest.back() == '\r' || rest.back() == ' ' || rest.back() == '\t'))
    rest.remove_suffix(1);
  return !rest.empty() && rest.back() == '\\' && rest.find('#') == std::string_view::npos;
}

ImportPlan find_import_plan(const FixContext& ctx, std::string_view module) {
  for (const auto& [name, bindings] : ctx.facts.scopes[0].bindings) {
    const Binding& last = bindings.back();
    if (last.kind == BindingKind::Import && last.target == module) return {std::string(name), std::nullopt};
  }
  // After the docstring, `from __future__` imports and the leading imports; before other code.
  const std::string_view text = ctx.file.text();
  TSNode last_header{};
  TSNode first_code{};
  bool first = true;
  ctx.file.for_each_top_level([&](TSNode child) {
    const NodeKind kind = kind_of(child);
    if (kind == NodeKind::Comment) return true;
    const bool docstring = first && kind == NodeKind::ExpressionStatement &&
                           kind_of(ts_node_named_child(child, 0)) == NodeKind::String;
    first = false;
    if (docstring || kind == NodeKind::ImportStatement || kind == NodeKind::ImportFromStatement ||
        kind == NodeKind::FutureImportStatement)
      last_header = child;
    else
      first_code = child;
    return ts_node_is_null(first_code);
  });
  const std::string eol(ctx.file.line_ending());
  const std::string statement = "import " + std::string(module);
  const LineIndex& lines = ctx.file.lines();
  if (!ts_node_is_null(last_header)) {
    const uint32_t end_byte = ts_node_end_byte(last_header);
    uint32_t line = lines.position(end_byte).line;
    uint32_t from = end_byte;
    while (line + 1 < lines.line_count() && continues(text.substr(from, lines.line_start(line + 1) - from)))
      from = lines.line_start(++line);
    if (line + 1 < lines.line_count()) {
      const uint32_t at = lines.line_start(line + 1);
      return {std::string(module), TextEdit{at, at, statement + eol}};
    }
    const auto end = static_cast<uint32_t>(text.size());
    return {std::string(module), TextEdit{end, end, eol + statement + eol}};
  }
  if (!ts_node_is_null(first_code)) {
    const uint32_t at = lines.line_start(lines.position(ts_node_start_byte(first_code)).line);
    return {std::string(module), TextEdit{at, at, statement + eol}};
  }
  const auto end = static_cast<uint32_t>(text.size());
  const bool needs_newline = end > 0 && text.back() != '\n' && text.back() != '\r';
  return {std::string(module), TextEdit{end, end, (needs_newline ? eol : "") + statement + eol}};
}

}  // namespace

void sort_edits(std::vector<TextEdit>& edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const TextEdit& a, const TextEdit& b) { return a.start < b.start; });
}

const ImportPlan& plan_import(const FixContext& ctx, std::string_view module) {
  const auto it = ctx.import_plans.find(module);
  if (it != ctx.import_plans.end()) return it->second;
  return ctx.import_plans.emplace(std::string(module), find_import_plan(ctx, module)).first->second;
}

}  // namespace loopsafe
