// Catalog rule: a call in the body of an `async def` whose callee resolves to a catalog row (or to a
// user's `extend-blocking-calls` pattern, ASYNC200) blocks the event loop.
//
// Why it is bad: the event loop runs one callback at a time; a blocking call stalls every other task
// of the process until it returns. The message names the async alternative; the fixes await
// `asyncio.sleep` or offload the call to a worker thread.
#include "analysis/catalog/catalog.h"
#include "analysis/glob.h"
#include "analysis/rules/rule.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

// os.spawn*(mode, ...): P_WAIT (or no mode) runs the process to completion; any other mode starts it.
bool spawn_waits(const RuleContext& ctx, const CallSite& call) {
  TSNode arguments = field(call.node, Field::Arguments);
  TSNode mode{};
  bool first_positional = true;
  for_each_named_child(arguments, [&](TSNode arg, const char*) {
    if (kind_of(arg) == NodeKind::KeywordArgument) {
      if (ctx.file.text_of(field(arg, Field::Name)) == "mode") mode = field(arg, Field::Value);
    } else if (kind_of(arg) != NodeKind::Comment && first_positional) {
      first_positional = false;
      if (ts_node_is_null(mode)) mode = arg;
    }
  });
  if (ts_node_is_null(mode)) return true;
  const Value v = ctx.resolver.resolve(mode, call.scope);
  if (v.is(Value::Kind::Name) && (v.name == "os.P_WAIT" || v.name.ends_with(".P_WAIT") || v.name == "P_WAIT"))
    return true;
  const std::string_view text = ctx.file.text_of(mode);
  return text == "P_WAIT" || text.ends_with(".P_WAIT");
}

// `anyio.wrap_file(open(p))` / `trio.wrap_file(...)`: the file is then used through an async wrapper.
bool wrapped_in_async_file(const RuleContext& ctx, const CallSite& call) {
  if (ts_node_is_null(call.parent) || kind_of(call.parent) != NodeKind::ArgumentList) return false;
  TSNode outer = ts_node_parent(call.parent);
  if (ts_node_is_null(outer) || kind_of(outer) != NodeKind::Call) return false;
  const Value wrapper = ctx.resolver.callee(outer, call.scope);
  return wrapper.is(Value::Kind::Name) &&
         (wrapper.name == "anyio.wrap_file" || wrapper.name == "trio.wrap_file");
}

struct Match {
  std::string code;
  std::string alternative;
  const CatalogEntry* entry = nullptr;  // null for a user pattern
};

// ASYNC200: the user's patterns name a qualified name, or (for the project's own functions, which
// have none) the callee as written.
std::optional<Match> match_user_pattern(const RuleContext& ctx, const CallSite& call, const Value& callee) {
  if (call.awaited || ctx.settings.extend_blocking_calls.empty()) return std::nullopt;
  const std::string_view written = ctx.file.text_of(field(call.node, Field::Function));
  const bool named = callee.is(Value::Kind::Name) || callee.is(Value::Kind::Method);
  for (const auto& [pattern, alternative] : ctx.settings.extend_blocking_calls)
    if ((named && glob_match(pattern, callee.name)) || glob_match(pattern, written))
      return Match{"ASYNC200", "`" + alternative + "`", nullptr};
  return std::nullopt;
}

std::optional<Match> match_call(const RuleContext& ctx, const CallSite& call, const Value& callee) {
  const bool bound = callee.is(Value::Kind::Method);
  if (!bound && !callee.is(Value::Kind::Name)) return match_user_pattern(ctx, call, callee);
  if (const CatalogEntry* entry = find_blocking_call(callee.name, bound)) {
    if (call.awaited && !entry->even_if_awaited) return std::nullopt;
    std::string code(entry->code);
    if (entry->refinement == Refinement::SpawnMode && !spawn_waits(ctx, call)) code = "ASYNC220";
    return Match{code, std::string(entry->alternative), entry};
  }
  return match_user_pattern(ctx, call, callee);
}

// `conn.execute(...).fetchall()`: both calls block, but one finding per chain is enough; the inner
// call (reported at the same position) carries it.
bool chained_on_same_finding(const RuleContext& ctx, const CallSite& call, const Match& match) {
  TSNode function = field(call.node, Field::Function);
  if (kind_of(function) != NodeKind::Attribute) return false;
  TSNode object = unparenthesize(field(function, Field::Object));
  if (kind_of(object) != NodeKind::Call) return false;
  CallSite inner = call;
  inner.node = object;
  inner.awaited = false;
  const auto inner_match = match_call(ctx, inner, ctx.resolver.callee(object, call.scope));
  return inner_match && inner_match->code == match.code;
}

}  // namespace

std::optional<BlockingMatch> match_blocking_call(const RuleContext& ctx, const CallSite& call,
                                                 const Value& callee) {
  CallSite plain = call;
  plain.awaited = false;
  const auto match = match_call(ctx, plain, callee);
  if (!match || wrapped_in_async_file(ctx, plain)) return std::nullopt;
  return BlockingMatch{match->code, match->alternative, match->entry ? match->entry->fix : FixKind::ToThread};
}

std::string describe_call(const RuleContext& ctx, const CallSite& call, std::string_view qualified) {
  TSNode function = field(call.node, Field::Function);
  const std::string_view written = ctx.file.text_of(function);
  std::string text = ctx.quoted_call(function);
  // A long or multi-line receiver reads badly: name the method alone.
  if (kind_of(function) == NodeKind::Attribute &&
      (written.size() > 40 || written.find_first_of("\r\n") != std::string_view::npos))
    text = "`." + std::string(ctx.file.text_of(field(function, Field::Attribute))) + "()`";
  if (written != qualified && !qualified.empty()) text += " (`" + std::string(qualified) + "`)";
  return text;
}

std::string describe_function(const RuleContext& ctx, const CallSite& call) {
  if (call.function < 0) return "async code";
  return "async function `" + ctx.facts.functions[call.function].name + "`";
}

void check_blocking_calls(RuleContext& ctx) {
  for (const CallSite& call : ctx.facts.calls) {
    if (call.frame != Frame::AsyncFunction) continue;
    const Value callee = ctx.resolver.callee(call.node, call.scope);
    const auto match = match_call(ctx, call, callee);
    if (!match || wrapped_in_async_file(ctx, call) || chained_on_same_finding(ctx, call, *match)) continue;
    std::string message;
    if (match->code == "ASYNC200") {
      message = "User-configured blocking call " + describe_call(ctx, call, callee.name) + " in " +
                describe_function(ctx, call) + "; use " + match->alternative + " instead";
    } else {
      message = describe_call(ctx, call, callee.name) + " blocks the event loop in " +
                describe_function(ctx, call) + "; use " + match->alternative;
    }
    std::vector<std::optional<Fix>> fixes;
    const FixKind fix = match->entry ? match->entry->fix : FixKind::ToThread;
    if (fix == FixKind::Sleep) fixes.push_back(sleep_fix(ctx.fix_context, call));
    if (fix == FixKind::ToThread) fixes.push_back(to_thread_fix(ctx.fix_context, call));
    if (match->entry && !match->entry->also_code.empty())
      ctx.report(std::string(match->entry->also_code), field(call.node, Field::Function),
                 describe_call(ctx, call, callee.name) + " opens a file and blocks the event loop in " +
                     describe_function(ctx, call) + "; use " + match->alternative,
                 fixes, call.function);
    ctx.report(match->code, field(call.node, Field::Function), std::move(message), std::move(fixes),
               call.function);
  }
}

}  // namespace loopsafe
