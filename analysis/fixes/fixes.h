#pragma once
// Quick fixes as text edits. Each builder prepares one fix for one finding; none of them touches the
// file. Import edits are shared text, so fixes applied together add `import asyncio` once.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/config.h"
#include "analysis/facts.h"
#include "analysis/finding.h"

namespace loopsafe {

struct ImportPlan;

struct FixContext {
  const SourceFile& file;
  const FileFacts& facts;
  const Settings& settings;
  // Where each module's import is or would go: the same for every fix of the file, found once.
  mutable std::map<std::string, ImportPlan, std::less<>> import_plans = {};
};

// `time.sleep(x)` -> `await asyncio.sleep(x)`.
std::optional<Fix> sleep_fix(const FixContext& ctx, const CallSite& call);
// `f(a, k=v)` -> `await asyncio.to_thread(f, a, k=v)`, or run_in_executor + functools.partial where the
// project supports Python before 3.9.
std::optional<Fix> to_thread_fix(const FixContext& ctx, const CallSite& call);
// `call()` -> `await call()`, for a coroutine that is called and dropped.
std::optional<Fix> add_await_fix(const FixContext& ctx, const CallSite& call);
// `async def f` -> `def f` (the framework then runs it in its threadpool).
std::optional<Fix> async_to_def_fix(const FixContext& ctx, const FunctionInfo& function);
// Appends `# noqa: CODE` to the line holding `offset`, merging into an existing noqa comment.
std::optional<Fix> noqa_fix(const FixContext& ctx, std::string_view code, uint32_t offset);
// One edit per line for `--add-noqa`: every finding's code on its line.
std::vector<TextEdit> noqa_edits(const FixContext& ctx, const std::vector<Finding>& findings);

// Where `module` is imported at module level (its bound name), or an edit that imports it.
struct ImportPlan {
  std::string name;
  std::optional<TextEdit> edit;
};
const ImportPlan& plan_import(const FixContext& ctx, std::string_view module);

// A fix's edits in the order fixes keep them: by start; edits at the same place stay in the order
// they were added (an import of asyncio before one of functools).
void sort_edits(std::vector<TextEdit>& edits);

}  // namespace loopsafe
