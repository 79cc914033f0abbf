// LS302: a coroutine function called as a statement and never awaited. The call only creates a
// coroutine object; its body never runs (Python warns "coroutine ... was never awaited" at best).
// Covers asyncio's own coroutine functions and the `async def`s of the same file.
// Use instead: `await f(...)`, or `asyncio.create_task(f(...))` to run it concurrently.
#include <unordered_set>

#include "analysis/rules/rule.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

const std::unordered_set<std::string_view>& asyncio_coroutine_functions() {
  static const std::unordered_set<std::string_view> set = {"asyncio.sleep",
                                                           "asyncio.wait_for",
                                                           "asyncio.wait",
                                                           "asyncio.to_thread",
                                                           "asyncio.open_connection",
                                                           "asyncio.start_server",
                                                           "asyncio.open_unix_connection",
                                                           "asyncio.start_unix_server",
                                                           "asyncio.create_subprocess_exec",
                                                           "asyncio.create_subprocess_shell",
                                                           "asyncio.staggered_race",
                                                           "asyncio.AbstractEventLoop.run_in_executor",
                                                           "asyncio.AbstractEventLoop.getaddrinfo",
                                                           "asyncio.AbstractEventLoop.sock_connect",
                                                           "asyncio.AbstractEventLoop.sock_recv",
                                                           "asyncio.AbstractEventLoop.sock_sendall",
                                                           "asyncio.AbstractEventLoop.create_connection",
                                                           "asyncio.AbstractEventLoop.shutdown_asyncgens",
                                                           "asyncio.Queue.get",
                                                           "asyncio.Queue.put",
                                                           "asyncio.Queue.join",
                                                           "asyncio.Lock.acquire",
                                                           "asyncio.Event.wait",
                                                           "asyncio.Condition.acquire",
                                                           "asyncio.Condition.wait",
                                                           "asyncio.Condition.wait_for"};
  return set;
}

// Whether `name` appears as an identifier under `scope` after the byte `after`.
bool used_after(const SourceFile& file, TSNode scope, std::string_view name, uint32_t after) {
  bool used = false;
  TSTreeCursor cursor = ts_tree_cursor_new(scope);
  for (bool more = true; more && !used;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (ts_node_end_byte(node) > after && ts_tree_cursor_goto_first_child(&cursor)) continue;
    if (kind_of(node) == NodeKind::Identifier && ts_node_start_byte(node) >= after &&
        file.text_of(node) == name)
      used = true;
    while (!ts_tree_cursor_goto_next_sibling(&cursor))
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        more = false;
        break;
      }
  }
  ts_tree_cursor_delete(&cursor);
  return used;
}

}  // namespace

bool dropped_by_assignment(const RuleContext& ctx, const CallSite& call) {
  if (ts_node_is_null(call.assigned_to)) return false;
  const std::string_view name = ctx.file.text_of(call.assigned_to);
  const uint32_t after = ts_node_end_byte(call.node);
  if (call.function >= 0) return !used_after(ctx.file, ctx.facts.functions[call.function].node, name, after);
  // At module level the rest of the module may be in later trees.
  for (const SyntaxPiece& piece : ctx.file.pieces())
    if (piece.end > after && used_after(ctx.file, ts_tree_root_node(piece.tree.get()), name, after))
      return false;
  return true;
}

void check_unawaited_coroutines(RuleContext& ctx) {
  for (const CallSite& call : ctx.facts.calls) {
    if (!call.statement && ts_node_is_null(call.assigned_to)) continue;
    const Value callee = ctx.resolver.callee(call.node, call.scope);
    bool coroutine = false;
    if (callee.is(Value::Kind::LocalFunction)) {
      const FunctionInfo& fn = ctx.facts.functions[callee.index];
      coroutine = fn.is_async && !ctx.resolver.is_async_generator(callee.index);  // iterated, not awaited
    } else if (callee.is(Value::Kind::Name) || callee.is(Value::Kind::Method)) {
      coroutine = asyncio_coroutine_functions().contains(callee.name);
    }
    if (!coroutine || (!call.statement && !dropped_by_assignment(ctx, call))) continue;
    TSNode function = field(call.node, Field::Function);
    const std::string name = ctx.quoted_call(function);
    ctx.report("LS302", function,
               name + " is a coroutine function: calling it without `await` never runs it; use `await " +
                   std::string(ctx.file.text_of(function)) + "(...)` or `asyncio.create_task(...)`",
               {add_await_fix(ctx.fix_context, call)}, call.function);
  }
}

}  // namespace loopsafe
