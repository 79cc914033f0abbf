#pragma once
// What a rule sees and how it reports. Rules are plain functions over one file's facts; the list of
// them is in registry.cpp.
#include <string>
#include <vector>

#include "analysis/catalog/catalog.h"
#include "analysis/config.h"
#include "analysis/facts.h"
#include "analysis/finding.h"
#include "analysis/fixes/fixes.h"
#include "analysis/resolve.h"

namespace loopsafe {

struct RuleContext {
  const SourceFile& file;
  const FileFacts& facts;
  const Resolver& resolver;
  const Settings& settings;
  FixContext fix_context;
  std::vector<Finding> findings;
  std::vector<int> finding_function;  // the function whose body holds each finding (-1: none)

  void report(std::string code, TSNode node, std::string message, std::vector<std::optional<Fix>> fixes,
              int function);
  // Backticked source text of a node, shortened when long: "`self.client.get`".
  std::string quoted(TSNode node) const;
  // The same for a callee, with the call's parentheses: "`session.get()`".
  std::string quoted_call(TSNode function) const;
};

using Rule = void (*)(RuleContext&);

void check_blocking_calls(RuleContext& ctx);        // catalog rows: ASYNC2xx, LS101-104, LS300, ASYNC200
void check_django_orm(RuleContext& ctx);            // LS101 for the Django ORM
void check_unawaited_coroutines(RuleContext& ctx);  // LS302
void check_dropped_tasks(RuleContext& ctx);         // LS303
void check_async_routes(RuleContext& ctx);          // LS304, after the blocking rules

const std::vector<Rule>& all_rules();

// What a call blocks on, wherever it is made (project-wide summaries ask about sync functions too).
struct BlockingMatch {
  std::string code;
  std::string alternative;
  FixKind fix = FixKind::ToThread;
};
std::optional<BlockingMatch> match_blocking_call(const RuleContext& ctx, const CallSite& call,
                                                 const Value& callee);
// `coro = f()` where `coro` is never read again in the same function: the value is dropped.
bool dropped_by_assignment(const RuleContext& ctx, const CallSite& call);

// How a message names a call: "`time.sleep()`", or "`nap()` (`time.sleep`)" when written differently.
std::string describe_call(const RuleContext& ctx, const CallSite& call, std::string_view qualified);
// "async function `name`" for the function running `call`.
std::string describe_function(const RuleContext& ctx, const CallSite& call);

}  // namespace loopsafe
