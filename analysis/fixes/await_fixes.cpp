// Fixes that put an `await` in front of a call: the asyncio.sleep rewrite, offloading to a thread, and
// awaiting a dropped coroutine.
#include <algorithm>
#include <string>

#include "analysis/fixes/fixes.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

// `await x` binds looser than `.attr`, `[i]` and `(...)`: `f().json()` must become `(await ...).json()`.
bool needs_parentheses(const CallSite& call) {
  if (ts_node_is_null(call.parent)) return false;
  switch (kind_of(call.parent)) {
    case NodeKind::Attribute:
    case NodeKind::Subscript:
    case NodeKind::Call:
      return ts_node_start_byte(call.parent) == ts_node_start_byte(call.node);
    default:
      return false;
  }
}

bool can_await_here(const CallSite& call) {
  return call.frame == Frame::AsyncFunction && !call.in_generator && !call.awaited;
}

// Wraps `expression` so it replaces the call node, adding `await` and parentheses where needed.
TextEdit replace_call(const CallSite& call, const std::string& expression) {
  std::string text = "await " + expression;
  if (needs_parentheses(call)) text = "(" + text + ")";
  return TextEdit{ts_node_start_byte(call.node), ts_node_end_byte(call.node), std::move(text)};
}

Fix make_fix(std::string title, Applicability applicability, TextEdit main,
             const std::vector<ImportPlan>& imports) {
  Fix fix{std::move(title), applicability, {}};
  for (const ImportPlan& plan : imports)
    if (plan.edit && std::find(fix.edits.begin(), fix.edits.end(), *plan.edit) == fix.edits.end())
      fix.edits.push_back(*plan.edit);
  fix.edits.push_back(std::move(main));
  sort_edits(fix.edits);
  return fix;
}

// The text between the parentheses of a call's argument list ("" for `f()`).
std::string arguments_text(const FixContext& ctx, TSNode call) {
  TSNode arguments = field(call, Field::Arguments);
  if (ts_node_is_null(arguments)) return {};
  if (kind_of(arguments) == NodeKind::GeneratorExpression) return std::string(ctx.file.text_of(arguments));
  const uint32_t start = ts_node_start_byte(arguments) + 1;
  const uint32_t end = ts_node_end_byte(arguments) - 1;
  if (end <= start) return {};
  std::string inner(ctx.file.text().substr(start, end - start));
  // Drop a trailing comma and line breaks, unless a comment would then swallow the closing parenthesis.
  if (inner.find('#') != std::string::npos) return inner;
  while (!inner.empty() &&
         (inner.back() == ' ' || inner.back() == '\n' || inner.back() == '\r' || inner.back() == ','))
    inner.pop_back();
  size_t lead = 0;
  while (lead < inner.size() && (inner[lead] == ' ' || inner[lead] == '\n' || inner[lead] == '\r')) ++lead;
  return inner.substr(lead);
}

}  // namespace

std::optional<Fix> sleep_fix(const FixContext& ctx, const CallSite& call) {
  if (!can_await_here(call)) return std::nullopt;
  const ImportPlan asyncio = plan_import(ctx, "asyncio");
  const std::string expression = asyncio.name + ".sleep(" + arguments_text(ctx, call.node) + ")";
  return make_fix("Replace with `await asyncio.sleep(...)`", Applicability::Safe,
                  replace_call(call, expression), {asyncio});
}

std::optional<Fix> to_thread_fix(const FixContext& ctx, const CallSite& call) {
  if (!can_await_here(call)) return std::nullopt;
  const std::string function(ctx.file.text_of(field(call.node, Field::Function)));
  const std::string arguments = arguments_text(ctx, call.node);
  const ImportPlan asyncio = plan_import(ctx, "asyncio");
  const bool has_to_thread = !ctx.settings.min_python || *ctx.settings.min_python >= PythonVersion{3, 9};
  if (has_to_thread) {
    const std::string expression =
        asyncio.name + ".to_thread(" + function + (arguments.empty() ? "" : ", " + arguments) + ")";
    return make_fix("Run `" + function + "` in a worker thread with `asyncio.to_thread`",
                    Applicability::Unsafe, replace_call(call, expression), {asyncio});
  }
  // asyncio.to_thread is new in 3.9; run_in_executor takes no keyword arguments, hence the partial.
  std::vector<ImportPlan> imports{asyncio};
  std::string target = function;
  if (!arguments.empty()) {
    imports.push_back(plan_import(ctx, "functools"));
    target = imports.back().name + ".partial(" + function + ", " + arguments + ")";
  }
  const std::string expression = asyncio.name + ".get_running_loop().run_in_executor(None, " + target + ")";
  return make_fix("Run `" + function + "` in the default executor", Applicability::Unsafe,
                  replace_call(call, expression), imports);
}

std::optional<Fix> add_await_fix(const FixContext& ctx, const CallSite& call) {
  if (!can_await_here(call)) return std::nullopt;
  return make_fix("Add `await`", Applicability::Unsafe,
                  replace_call(call, std::string(ctx.file.text_of(call.node))), {});
}

std::optional<Fix> async_to_def_fix(const FixContext& ctx, const FunctionInfo& function) {
  if (!function.is_async || function.awaits) return std::nullopt;
  const uint32_t start = ts_node_start_byte(function.node);
  const std::string_view text = ctx.file.text();
  uint32_t end = start + 5;  // "async"
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  if (text.substr(start, 5) != "async" || text.substr(end, 3) != "def") return std::nullopt;
  Fix fix{"Make `" + function.name + "` a sync `def` (the framework runs it in a threadpool)",
          Applicability::Unsafe,
          {TextEdit{start, end, ""}}};
  // An `await` added inside a function that is no longer async would not compile.
  fix.region_start = start;
  fix.region_end = ts_node_end_byte(function.node);
  return fix;
}

}  // namespace loopsafe
