// LS304: an `async def` FastAPI/Starlette route that never awaits but makes blocking calls. Declared
// `async`, it runs on the event loop and every blocking call stalls the server; declared with plain
// `def`, the framework runs it in its threadpool where blocking is harmless.
// Use instead: `def` (the offered fix), or the async versions of the calls.
#include <unordered_set>

#include "analysis/rules/rule.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

bool is_route_decorator(const RuleContext& ctx, const FunctionInfo& fn, TSNode decorator) {
  static const std::unordered_set<std::string_view> verbs = {
      "get", "post", "put", "patch", "delete", "head", "options", "trace", "route", "api_route"};
  if (kind_of(decorator) != NodeKind::Call) return false;
  TSNode function = field(decorator, Field::Function);
  if (kind_of(function) != NodeKind::Attribute ||
      !verbs.contains(ctx.file.text_of(field(function, Field::Attribute))))
    return false;
  const Value app = ctx.resolver.resolve(field(function, Field::Object), fn.defining_scope);
  if (app.is(Value::Kind::Instance)) return app.name == "web.App";
  // An app or router imported from another module of a FastAPI/Starlette project.
  return ctx.facts.imports_web_framework && !app.is(Value::Kind::LocalInstance) &&
         !app.is(Value::Kind::LocalClass);
}

}  // namespace

void check_async_routes(RuleContext& ctx) {
  std::vector<int> blocking_calls(ctx.facts.functions.size(), 0);
  for (size_t i = 0; i < ctx.findings.size(); ++i)
    if (ctx.finding_function[i] >= 0 && ctx.findings[i].code != "LS302" && ctx.findings[i].code != "LS303")
      ++blocking_calls[ctx.finding_function[i]];
  for (size_t index = 0; index < ctx.facts.functions.size(); ++index) {
    const FunctionInfo& fn = ctx.facts.functions[index];
    if (!fn.is_async || fn.awaits || fn.yields || blocking_calls[index] == 0) continue;
    bool route = false;
    for (TSNode decorator : fn.decorators) route = route || is_route_decorator(ctx, fn, decorator);
    if (!route) continue;
    ctx.report(
        "LS304", fn.name_node,
        "Route `" + fn.name + "` is `async def` but never awaits and makes " +
            std::to_string(blocking_calls[index]) +
            " blocking call(s) on the event loop; declare it with `def` so the framework runs it in its "
            "threadpool",
        {async_to_def_fix(ctx.fix_context, fn)}, static_cast<int>(index));
  }
}

}  // namespace loopsafe
