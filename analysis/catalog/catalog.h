#pragma once
// The blocking-API catalog: which callables block the event loop, under which rule code, and what to
// use instead. The rows live in blocking_calls.cpp as one table.
#include <string>
#include <string_view>
#include <vector>

namespace loopsafe {

enum class FixKind {
  None,
  Sleep,     // time.sleep(x) -> await asyncio.sleep(x)
  ToThread,  // f(a) -> await asyncio.to_thread(f, a)
};

enum class Refinement {
  None,
  SpawnMode,  // os.spawn*: ASYNC221 when the mode is P_WAIT or absent, else ASYNC220
};

struct CatalogEntry {
  std::string_view code;         // empty: explicitly not blocking (an exception to a `Type.*` row)
  std::string_view alternative;  // what to use instead, as Markdown-ish text with backticks
  FixKind fix = FixKind::ToThread;
  Refinement refinement = Refinement::None;
  bool even_if_awaited = false;  // `await time.sleep(1)` still sleeps before the await
  std::string_view also_code;    // a second code reported for the same call (ruff reports it there too)
};

// Looks up a qualified name (`time.sleep`) or a method key (`requests.Session.get`). `bound` allows
// `Type.*` rows, which describe every public method of an instance. Null when not blocking.
const CatalogEntry* find_blocking_call(std::string_view key, bool bound);

// Every code that has a rule, for docs, --select validation and SARIF.
const std::vector<std::string_view>& all_rule_codes();

}  // namespace loopsafe
