#pragma once
// The project as one program: every module's summary under the names `import` finds it by, the
// calls between project functions, and which sync functions may block (directly, or through the
// helpers they call: a fixed point over the call graph, one shortest witness chain each). From that,
// the project-wide findings of each module: LS200 (an async function calls a sync helper that blocks)
// and LS302 for coroutine functions of other modules.
//
// Paths here are plain strings: the caller reads files and says where they are.
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/config.h"
#include "analysis/finding.h"
#include "analysis/project/summary.h"

namespace loopsafe::project {

// The names a module is imported by, from its path relative to the project root ('/'-separated): from
// the outermost package (directories holding an `__init__.py`) that contains it, from `src/`, from the
// root, and by its bare name when in no package. The first one is its own name for relative imports.
// `has_file(path)` says whether the project holds that file.
std::vector<std::string> module_names(std::string_view relative,
                                      const std::function<bool(std::string_view)>& has_file);

class ProjectIndex {
 public:
  // Adds or replaces a module. `relative` is its path from the project root; `location` is how
  // findings in other files point at it (a display path, a URI).
  void set(const std::string& relative, std::string location, std::shared_ptr<const ModuleSummary> summary);
  void remove(const std::string& relative);
  bool contains(const std::string& relative) const { return modules_.contains(relative); }
  size_t size() const { return modules_.size(); }

  // Names modules, resolves calls and finds which functions block. Needed after changes, before
  // findings(); cheap next to reading the files.
  void link();

  // LS200 and project LS302 findings of one module, filtered by its settings (noqa applied already).
  std::vector<Finding> findings(const std::string& relative, const Settings& settings,
                                std::string_view settings_path) const;

 private:
  struct Module;
  // A function or class of a module.
  struct Entity {
    enum class Kind { None, Function, Class } kind = Kind::None;
    const Module* module = nullptr;
    int index = -1;
    uint64_t key() const { return (static_cast<uint64_t>(module->id) << 32) | static_cast<uint32_t>(index); }
  };
  struct Module {
    uint32_t id = 0;
    std::string relative;
    std::string location;
    std::string label;  // file name, as messages cite it ("config.py")
    std::shared_ptr<const ModuleSummary> summary;
    std::string package;  // where its relative imports start (itself for an `__init__.py`)
    std::unordered_map<std::string, int> class_by_name;
    // What each call of each of its functions reaches (callable(resolve(...))), kept between links
    // while nothing it was resolved through changed.
    std::vector<std::vector<Entity>> edges;
    bool edges_fresh = false;
  };
  // How a function that may block does: directly (`hop` < 0), or through its call number `hop`,
  // which reaches `next`.
  struct Blocks {
    int distance = 0;  // helpers between it and the blocking call
    int hop = -1;
    Entity next;
  };

  void name_modules();
  void find_blocking();
  Entity resolve(const Module& from, const Reference& ref, int depth) const;
  Entity resolve_absolute(const std::string& name, int depth) const;
  Entity resolve_in(const Module& module, std::string_view path, int depth) const;
  Entity member(const Module& module, int class_index, std::string_view name, int depth) const;
  // The function a call runs when calling `entity` (a class runs its `__init__`).
  Entity callable(Entity entity) const;
  const FunctionSummary& function(const Entity& e) const { return e.module->summary->functions[e.index]; }
  // Sync, and calling it runs its body now.
  bool runs_inline(const Entity& e) const;
  // "`open()` (config.py:12) via `read_file()` (config.py:30)", and a related location per hop.
  std::string describe_chain(Entity helper, const Module& reporting,
                             std::vector<RelatedLocation>& related) const;

  std::unordered_map<std::string, Module> modules_;  // by relative path
  std::vector<Module*> ordered_;                     // by path: ids, names and witnesses follow it
  // Files came or went: modules are named again. A module's names, classes or bases changed: every
  // module's calls are resolved again (they may go through it). Otherwise only changed modules' calls.
  bool layout_changed_ = true;
  bool interfaces_changed_ = true;
  std::unordered_map<std::string, const Module*> by_name_;
  std::unordered_map<uint64_t, Blocks> blocks_;  // functions that may block, by key()
};

}  // namespace loopsafe::project
