// LS303: the task returned by `asyncio.create_task()` / `asyncio.ensure_future()` is dropped. The
// event loop keeps only a weak reference to tasks, so a task nobody references can be garbage-collected
// before it finishes, silently.
// Use instead: keep a reference (`tasks.add(t); t.add_done_callback(tasks.discard)`) or an
// `asyncio.TaskGroup`.
#include "analysis/rules/rule.h"
#include "analysis/syntax.h"

namespace loopsafe {

void check_dropped_tasks(RuleContext& ctx) {
  for (const CallSite& call : ctx.facts.calls) {
    if (!call.statement) continue;
    const Value callee = ctx.resolver.callee(call.node, call.scope);
    const bool spawns =
        (callee.is(Value::Kind::Name) &&
         (callee.name == "asyncio.create_task" || callee.name == "asyncio.ensure_future")) ||
        (callee.is(Value::Kind::Method) && callee.name == "asyncio.AbstractEventLoop.create_task");
    if (!spawns) continue;
    TSNode function = field(call.node, Field::Function);
    ctx.report(
        "LS303", function,
        "The task from " + ctx.quoted_call(function) +
            " is dropped: the loop holds tasks weakly, so it can be garbage-collected before it finishes; "
            "keep a reference (a set plus `add_done_callback(tasks.discard)`) or use `asyncio.TaskGroup`",
        {}, call.function);
  }
}

}  // namespace loopsafe
