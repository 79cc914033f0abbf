#pragma once
// What the rest of a project needs to know about one module, learnt from its text alone: its
// functions (sync or async, the first blocking call each makes, the calls each makes), its classes and
// their bases, its module-level names, and the calls in it that may reach another module's function
// (candidates for LS200 and LS302). A summary holds no tree and no module name: references to other
// code stay as written (absolute, relative or local), so it depends only on the text and the settings,
// and can be cached by content.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/checker.h"
#include "analysis/finding.h"
#include "analysis/source_file.h"

namespace loopsafe::project {

// A place in the module, as an offset range and as the positions editors and terminals need.
struct Span {
  uint32_t start = 0;
  uint32_t end = 0;
  TextPoint start_point;
  TextPoint end_point;
};

// A reference to code, as resolved within the module:
//   "#3"                   its own function number 3
//   "@Repo.load"           member `load` of its own class `Repo` (or of that class's bases)
//   ".core.read"           relative to its package (`from .core import read`)
//   "pkg.utils.load"       absolute
using Reference = std::string;

struct Call {
  Reference callee;
  Span at;              // the callee expression (`utils.load_config`)
  std::string written;  // as the message quotes it: "`utils.load_config()`"
};

struct BlockingCall {
  std::string code;         // the catalog rule it would get in async code
  std::string description;  // "`open()`"
  std::string alternative;  // what to use instead
  Span at;
};

struct FunctionSummary {
  std::string name;  // qualified within the module: "load", "Repo.load", "outer.inner"
  bool is_async = false;
  bool is_generator = false;
  // Calling it runs its body (no decorator that could change that).
  bool runs_when_called = true;
  Span name_at;
  std::optional<BlockingCall> blocking;  // the first catalog call in its own body
  std::vector<Call> calls;               // other calls in its own body that may reach project code
};

struct ClassSummary {
  std::string name;                    // qualified within the module
  std::vector<Reference> bases;        // resolvable ones only
  std::map<std::string, int> methods;  // name -> function number
  bool operator==(const ClassSummary&) const = default;
};

// A module-level name: a function, a class, or an imported name (another reference).
struct Symbol {
  enum class Kind { Function, Class, Import } kind = Kind::Function;
  int index = -1;
  Reference target;
  bool operator==(const Symbol&) const = default;
};

// A call in this module that becomes a finding when its callee turns out to be project code.
struct CallSite {
  enum class Use {
    Blocking,  // made in async code, not awaited: LS200 when the callee is a sync helper that blocks
    Dropped,   // its value is dropped: LS302 when the callee is a project coroutine function
  } use = Use::Blocking;
  Call call;
  std::string caller;       // "async function `handler`" / "async code"
  std::vector<Fix> fixes;   // ready-made: to_thread (LS200) or await (LS302), then noqa
  bool suppressed = false;  // a noqa comment on its line covers the code
};

struct ModuleSummary {
  std::vector<FunctionSummary> functions;
  std::vector<ClassSummary> classes;
  std::map<std::string, Symbol> symbols;
  std::vector<CallSite> sites;
};

// One file checked for the project: its own findings and its summary.
struct FileCheck {
  CheckResult result;
  std::shared_ptr<const ModuleSummary> summary;
};

// check_file() and the module's summary, from one walk of the file.
FileCheck check_file_for_project(const SourceFile& file, const Settings& settings,
                                 std::string_view relative_path);

}  // namespace loopsafe::project
