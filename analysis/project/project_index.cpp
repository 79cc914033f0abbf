#include "analysis/project/project_index.h"

#include <algorithm>
#include <deque>

namespace loopsafe::project {
namespace {

// Resolution follows imports and base classes; a chain this long is a cycle or not worth following.
constexpr int kMaxResolveDepth = 24;

std::string_view parent_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string dotted(std::string_view path) {
  std::string name(path);
  std::replace(name.begin(), name.end(), '/', '.');
  return name;
}

// "a/b/c.py" -> "a/b/c", "a/b/__init__.py" -> "a/b"; empty when not a Python module.
std::string module_path(std::string_view relative) {
  if (!relative.ends_with(".py")) return {};
  relative.remove_suffix(3);
  if (relative == "__init__") return {};
  if (relative.ends_with("/__init__")) relative.remove_suffix(9);
  return std::string(relative);
}

std::string line_label(std::string_view label, const TextPoint& point) {
  return std::string(label) + ":" + std::to_string(point.line + 1);
}

// "`utils.fetch()`" -> "utils.fetch"
std::string unquoted_callee(std::string_view written) {
  if (written.starts_with('`')) written.remove_prefix(1);
  if (written.ends_with('`')) written.remove_suffix(1);
  if (written.ends_with("()")) written.remove_suffix(2);
  return std::string(written);
}

}  // namespace

std::vector<std::string> module_names(std::string_view relative,
                                      const std::function<bool(std::string_view)>& has_file) {
  const std::string path = module_path(relative);
  if (path.empty()) return {};
  std::vector<std::string> names;
  const auto add = [&](std::string name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(std::move(name));
  };
  // From the outermost package holding it: how its package's own imports (and relative ones) name it.
  std::string_view top = parent_of(relative);
  while (!top.empty() && has_file(std::string(top) + "/__init__.py")) top = parent_of(top);
  const std::string_view below =
      top.empty() ? std::string_view(path) : std::string_view(path).substr(top.size() + 1);
  const bool in_package = below.find('/') != std::string_view::npos;
  if (in_package) add(dotted(below));
  // From `src/` and from the root: layouts where those are on sys.path (namespace packages too).
  if (path.starts_with("src/")) add(dotted(std::string_view(path).substr(4)));
  add(dotted(path));
  // A file outside any package is also importable by its bare name from its own directory (scripts).
  if (!in_package) add(dotted(below));
  return names;
}

namespace {

// What other modules' calls are resolved through: module-level names, classes with their bases and
// methods (function numbers included).
bool same_interface(const ModuleSummary& a, const ModuleSummary& b) {
  return a.symbols == b.symbols && a.classes == b.classes;
}

}  // namespace

void ProjectIndex::set(const std::string& relative, std::string location,
                       std::shared_ptr<const ModuleSummary> summary) {
  const auto [it, added] = modules_.try_emplace(relative);
  Module& m = it->second;
  if (added)
    layout_changed_ = true;
  else if (!same_interface(*m.summary, *summary))
    interfaces_changed_ = true;
  m.edges_fresh = false;
  m.relative = relative;
  m.location = std::move(location);
  const auto slash = relative.rfind('/');
  m.label = slash == std::string::npos ? relative : relative.substr(slash + 1);
  m.summary = std::move(summary);
  m.class_by_name.clear();
  for (size_t i = 0; i < m.summary->classes.size(); ++i)
    m.class_by_name.emplace(m.summary->classes[i].name, static_cast<int>(i));
}

void ProjectIndex::remove(const std::string& relative) {
  if (modules_.erase(relative) != 0) layout_changed_ = true;
}

void ProjectIndex::link() {
  if (layout_changed_) name_modules();
  if (layout_changed_ || interfaces_changed_)
    for (Module* m : ordered_) m->edges_fresh = false;
  layout_changed_ = interfaces_changed_ = false;
  // A module calls the same few things many times (`os.path.join`): each reference is resolved once.
  std::unordered_map<std::string_view, Entity> resolved;
  for (Module* m : ordered_) {
    if (m->edges_fresh) continue;
    resolved.clear();
    const auto& functions = m->summary->functions;
    m->edges.assign(functions.size(), {});
    for (size_t f = 0; f < functions.size(); ++f)
      for (const Call& call : functions[f].calls) {
        const auto [known, fresh] = resolved.try_emplace(call.callee);
        if (fresh) known->second = callable(resolve(*m, call.callee, 0));
        m->edges[f].push_back(known->second);
      }
    m->edges_fresh = true;
  }
  find_blocking();
}

void ProjectIndex::name_modules() {
  // Modules in path order: ids, names and chosen witnesses do not depend on the order files came in.
  ordered_.clear();
  for (auto& [relative, m] : modules_) ordered_.push_back(&m);
  std::sort(ordered_.begin(), ordered_.end(),
            [](const Module* a, const Module* b) { return a->relative < b->relative; });
  const std::vector<Module*>& ordered = ordered_;

  by_name_.clear();
  const auto has_file = [&](std::string_view path) { return modules_.contains(std::string(path)); };
  for (size_t i = 0; i < ordered.size(); ++i) {
    Module& m = *ordered[i];
    m.id = static_cast<uint32_t>(i);
    const std::vector<std::string> names = module_names(m.relative, has_file);
    m.package.clear();
    if (!names.empty()) {
      const bool init = m.relative == "__init__.py" || m.relative.ends_with("/__init__.py");
      const auto dot = names.front().rfind('.');
      m.package = init                       ? names.front()
                  : dot == std::string::npos ? std::string()
                                             : names.front().substr(0, dot);
    }
    for (const std::string& name : names) {
      // Two files one name (two `utils.py` scripts in different directories): resolve neither.
      const auto [it, fresh] = by_name_.emplace(name, &m);
      if (!fresh && it->second != &m) it->second = nullptr;
    }
  }
}

void ProjectIndex::find_blocking() {
  const std::vector<Module*>& ordered = ordered_;
  // Which sync functions may block: distances from the blocking calls, backwards over the calls.
  blocks_.clear();
  std::unordered_map<uint64_t, std::vector<Entity>> callers;  // callee key -> callers that may run it inline
  std::deque<Entity> queue;
  for (const Module* m : ordered) {
    const auto& functions = m->summary->functions;
    for (size_t f = 0; f < functions.size(); ++f) {
      const Entity caller{Entity::Kind::Function, m, static_cast<int>(f)};
      if (!runs_inline(caller)) continue;
      if (functions[f].blocking) {
        blocks_[caller.key()] = Blocks{0, -1, {}};
        queue.push_back(caller);
      }
      for (const Entity& callee : m->edges[f])
        if (callee.kind == Entity::Kind::Function && runs_inline(callee))
          callers[callee.key()].push_back(caller);
    }
  }
  while (!queue.empty()) {
    const Entity done = queue.front();
    queue.pop_front();
    const int distance = blocks_[done.key()].distance;
    const auto it = callers.find(done.key());
    if (it == callers.end()) continue;
    for (const Entity& caller : it->second)
      if (blocks_.emplace(caller.key(), Blocks{distance + 1, -1, {}}).second) queue.push_back(caller);
  }
  // Each one's witness: its first call (in source order) that is one step closer to a blocking call.
  for (const Module* m : ordered) {
    const auto& functions = m->summary->functions;
    for (size_t f = 0; f < functions.size(); ++f) {
      const Entity caller{Entity::Kind::Function, m, static_cast<int>(f)};
      const auto it = blocks_.find(caller.key());
      if (it == blocks_.end() || it->second.distance == 0) continue;
      for (size_t c = 0; c < functions[f].calls.size(); ++c) {
        const Entity callee = m->edges[f][c];
        if (callee.kind != Entity::Kind::Function || !runs_inline(callee)) continue;
        const auto next = blocks_.find(callee.key());
        if (next != blocks_.end() && next->second.distance == it->second.distance - 1) {
          it->second.hop = static_cast<int>(c);
          it->second.next = callee;
          break;
        }
      }
    }
  }
}

bool ProjectIndex::runs_inline(const Entity& e) const {
  const FunctionSummary& f = function(e);
  return !f.is_async && !f.is_generator && f.runs_when_called;
}

ProjectIndex::Entity ProjectIndex::callable(Entity entity) const {
  if (entity.kind == Entity::Kind::Class) return member(*entity.module, entity.index, "__init__", 0);
  return entity;
}

ProjectIndex::Entity ProjectIndex::resolve(const Module& from, const Reference& ref, int depth) const {
  if (ref.empty() || depth > kMaxResolveDepth) return {};
  if (ref[0] == '#') {
    const int index = std::stoi(ref.substr(1));
    if (index < 0 || static_cast<size_t>(index) >= from.summary->functions.size()) return {};
    return {Entity::Kind::Function, &from, index};
  }
  if (ref[0] == '@') {
    // The longest class name that prefixes it, then at most one member.
    const std::string_view name = std::string_view(ref).substr(1);
    for (size_t end = name.size(); end != std::string_view::npos && end > 0; end = name.rfind('.', end - 1)) {
      const auto it = from.class_by_name.find(std::string(name.substr(0, end)));
      if (it == from.class_by_name.end()) continue;
      if (end == name.size()) return {Entity::Kind::Class, &from, it->second};
      const std::string_view rest = name.substr(end + 1);
      if (rest.find('.') != std::string_view::npos) return {};
      return member(from, it->second, rest, depth + 1);
    }
    return {};
  }
  if (ref[0] == '.') {
    size_t dots = ref.find_first_not_of('.');
    if (dots == std::string::npos) dots = ref.size();
    std::string base = from.package;
    for (size_t up = 1; up < dots; ++up) {
      const auto dot = base.rfind('.');
      base = dot == std::string::npos ? std::string() : base.substr(0, dot);
    }
    const std::string rest = ref.substr(dots);
    if (base.empty()) return resolve_absolute(rest, depth + 1);
    return resolve_absolute(rest.empty() ? base : base + "." + rest, depth + 1);
  }
  return resolve_absolute(ref, depth + 1);
}

ProjectIndex::Entity ProjectIndex::resolve_absolute(const std::string& name, int depth) const {
  if (depth > kMaxResolveDepth) return {};
  // The longest prefix that names a module; the rest is looked up in it.
  for (size_t end = name.rfind('.'); end != std::string::npos;
       end = end == 0 ? std::string::npos : name.rfind('.', end - 1)) {
    const auto it = by_name_.find(name.substr(0, end));
    if (it == by_name_.end()) continue;
    if (!it->second) return {};  // ambiguous
    const Entity found = resolve_in(*it->second, std::string_view(name).substr(end + 1), depth + 1);
    if (found.kind != Entity::Kind::None) return found;
  }
  return {};
}

ProjectIndex::Entity ProjectIndex::resolve_in(const Module& module, std::string_view path, int depth) const {
  const auto dot = path.find('.');
  const std::string first(path.substr(0, dot));
  const std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  const auto it = module.summary->symbols.find(first);
  if (it == module.summary->symbols.end()) return {};
  const Symbol& symbol = it->second;
  switch (symbol.kind) {
    case Symbol::Kind::Function:
      if (!rest.empty()) return {};
      return {Entity::Kind::Function, &module, symbol.index};
    case Symbol::Kind::Class:
      if (rest.empty()) return {Entity::Kind::Class, &module, symbol.index};
      if (rest.find('.') != std::string_view::npos) return {};
      return member(module, symbol.index, rest, depth + 1);
    case Symbol::Kind::Import:
      return resolve(module, rest.empty() ? symbol.target : symbol.target + "." + std::string(rest),
                     depth + 1);
  }
  return {};
}

ProjectIndex::Entity ProjectIndex::member(const Module& module, int class_index, std::string_view name,
                                          int depth) const {
  if (depth > kMaxResolveDepth || class_index < 0) return {};
  const ClassSummary& cls = module.summary->classes[class_index];
  if (const auto it = cls.methods.find(std::string(name)); it != cls.methods.end())
    return {Entity::Kind::Function, &module, it->second};
  for (const Reference& base : cls.bases) {
    const Entity b = resolve(module, base, depth + 1);
    if (b.kind != Entity::Kind::Class) continue;
    const Entity inherited = member(*b.module, b.index, name, depth + 1);
    if (inherited.kind != Entity::Kind::None) return inherited;
  }
  return {};
}

std::string ProjectIndex::describe_chain(Entity helper, const Module& reporting,
                                         std::vector<RelatedLocation>& related) const {
  const auto locate = [&](const Module& m, const Span& at, std::string message) {
    RelatedLocation r;
    if (&m != &reporting) {
      r.path = m.location;
      r.start_point = at.start_point;
      r.end_point = at.end_point;
    }
    r.start = at.start;
    r.end = at.end;
    r.message = std::move(message);
    related.push_back(std::move(r));
  };
  std::string via;
  for (int hops = 0; hops < 1000; ++hops) {
    const Blocks& b = blocks_.at(helper.key());
    const FunctionSummary& f = function(helper);
    if (b.hop < 0) {
      const BlockingCall& blocking = *f.blocking;
      locate(*helper.module, blocking.at,
             "`" + f.name + "()` calls " + blocking.description + ", which blocks (" + blocking.code +
                 "); use " + blocking.alternative);
      return blocking.description + " (" + line_label(helper.module->label, blocking.at.start_point) + ")" +
             (via.empty() ? "" : " via " + via);
    }
    const Call& call = f.calls[b.hop];
    locate(*helper.module, call.at, "`" + f.name + "()` calls " + call.written);
    via += (via.empty() ? "" : ", ") + call.written + " (" +
           line_label(helper.module->label, call.at.start_point) + ")";
    helper = b.next;
  }
  return via;
}

std::vector<Finding> ProjectIndex::findings(const std::string& relative, const Settings& settings,
                                            std::string_view settings_path) const {
  std::vector<Finding> out;
  const auto it = modules_.find(relative);
  if (it == modules_.end()) return out;
  const Module& m = it->second;
  const auto wanted = [&](std::string_view code) {
    return settings.enabled(code) && !settings.ignored_for_path(code, settings_path);
  };
  const bool blocking = settings.transitive && wanted("LS200");
  const bool dropped = wanted("LS302");
  for (const CallSite& site : m.summary->sites) {
    if (site.suppressed) continue;
    const Entity callee = callable(resolve(m, site.call.callee, 0));
    if (callee.kind != Entity::Kind::Function) continue;
    Finding f;
    if (site.use == CallSite::Use::Blocking) {
      if (!blocking || !runs_inline(callee)) continue;
      const auto b = blocks_.find(callee.key());
      if (b == blocks_.end() || (settings.max_depth && b->second.distance + 1 > *settings.max_depth))
        continue;
      f.code = "LS200";
      f.message = site.call.written + " blocks the event loop in " + site.caller + ": it calls " +
                  describe_chain(callee, m, f.related) + "; run it in a thread with `asyncio.to_thread()`";
    } else {
      const FunctionSummary& target = function(callee);
      if (!dropped || !target.is_async || target.is_generator) continue;
      f.code = "LS302";
      f.message = site.call.written +
                  " is a coroutine function: calling it without `await` never runs it; use `await " +
                  unquoted_callee(site.call.written) + "(...)` or `asyncio.create_task(...)`";
    }
    f.start = site.call.at.start;
    f.end = site.call.at.end;
    f.severity = settings.severity_of(f.code);
    f.fixes = site.fixes;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace loopsafe::project
