// Why reusing findings is sound
// =============================
// A unit is a module-level def or a method of a module-level class. A reused check walks module-level
// code, class headers and bodies, every def's name and decorators, and the units chosen below (all of
// a class's methods when one is chosen); the other units keep their previous findings, moved by the
// edit's length. Such a finding is what a whole check finds if all it was computed from is unchanged:
//
// 1. The unit's own text. A unit is touched when an edited line is one of its lines; touched units are
//    walked. Units sharing a line with other code, or holding a syntax error, are always walked, so an
//    unwalked unit owns its lines: its `# noqa` comments and strings (read by suppressions and noqa
//    fixes) are unchanged, and no walked finding is on its lines. A unit holding a syntax error (before
//    or after) counts as edited: tree-sitter's error recovery may parse its unchanged text differently
//    after an edit elsewhere (`return x.f~()` a call in one version, `return x.f` and `~()` the next),
//    so its name and `self.x` names are dirty too.
// 2. What its names mean. Facts from outside a unit enter its resolution only through words of its
//    text: a plain name is looked up in its own scopes, then the module's (`lookup` never passes
//    through a class body except the one it starts in); an attribute is looked up by name on a value.
//    The one exception is `self`/`cls`, a method's class, which it does not name. So a set of dirty
//    words - names whose meaning may have changed - is grown until closed (class Closure):
//    - the names of module bindings that differ (kind, place, value and annotation extent, import
//      target, compared moved) or whose edited text they cover, and of those whose value or
//      annotation text mentions a dirty word (module bindings are re-resolved lazily, from that text);
//    - for a touched def: its `self.x` names, and its name (old and new) unless edited in place (same
//      start, same class, the edit inside its lines) without changing what callers learn through the
//      name: its name, `async`, decorator text and whether it yields, and the value it gives - a sync
//      non-generator def gives the value of its return annotation, or else of its returns, which a
//      body edit can change only when there are returns and no annotation (`call_result`,
//      `is_async_generator`, `local_class_member` read nothing else of a def);
//    - for an affected class (its header or body lines touched, or mentioning a dirty word, or added
//      or removed): its name; all its methods are walked, as they reach it through `self`;
//    - for a unit walked because it mentions a dirty word or its class is affected: its `self.x`
//      names, and its name when it gives a value (a sync non-generator def with returns or a return
//      annotation): its text is the same but what that text means may not be.
//    A unit mentioning a dirty word is walked; mentions are whole-word matches of its text, strings
//    and comments included, its own def name excepted. A module-level name (a binding, def or class
//    of the module) is reached by plain names only: resolution never looks one up as an attribute
//    (an attribute of a module is an external qualified name; of a class or instance, a member). So
//    a mention right after a dot does not count for it, and neither does one in the body or the
//    parameter list (walked in the def's own scope, see facts.cpp) of a unit whose own scope binds
//    the word: lookup finds that binding first, from the unit's scope and from every scope nested in
//    it, unless a `global` declaration sends it to the module (a unit whose text says `global` or
//    `nonlocal` gets no such exception). Names of methods and `self.x` attributes are dirty as
//    members of their class only. Such a member is reached, as a plain name, from inside its class
//    (class body, method defaults, annotations, decorators; a class gone from the new text has no
//    inside); by an attribute outside units; by `self.name` in a method whose `self` is never
//    rebound, of a class without bases, only when it is that class; and by any other attribute in a
//    unit only where resolution looked that name up on that class (the receiver's class, or a base
//    the lookup fell through to) the last time the unit's text was resolved: the resolver reports
//    each member lookup at the position of the attribute's name (`MemberLookup`), and each unit
//    keeps those in its text. The receiver's class comes from resolving the words before the
//    attribute; when none of those reaches the unit, it is the class it was, and the lookup the one
//    recorded. A lookup made only because another unit asked (what a sync def returns, the value of
//    `self.x`) is not made again when only its own unit is walked, so a walked unit keeps its
//    previous lookups (moved; those in the edited bytes are dropped, as an edit there dirties what
//    the asker read: a returned value the def's name, an assignment `self.x` the name x) beside the
//    new ones, until a whole check.
//    Induction over resolution steps: a unit that is not walked starts every step from a
//    word it mentions or from its class, and reaches only bindings and bodies whose meaning held.
// 3. File-wide facts: the framework-import flags (an unwalked body counts with its previous flags),
//    where fixes would add `import asyncio`/`functools` (plan_import, which reads module bindings and
//    the header) and the line ending fixes use are compared; any difference checks the whole file,
//    but one: an import that moved or is no longer needed, under the same name. A fix holds that
//    import as one edit that make_fix added before sorting the edits (sort_edits, await_fixes.cpp),
//    and its other edits and title read only the name; so the carried fixes get the new edit in
//    place of the old one (or lose it), sorted again the same way.
//    `# loopsafe: skip-file` is checked afresh, a skipped previous version is never reused, and the
//    caller passes the same settings.
// 4. The outline: every untouched unit and class is found again at its moved place with the same
//    extent, name and class, and only those are skipped, so carried findings belong to them.
// 5. Resolution never used what the walk left out: a walked expression that needs a skipped body
//    (what an unwalked sync def returns, an instance attribute that an unwalked method assigns as
//    `self.name` - its unit in the previous outline lists those names, and its text is unchanged)
//    sets `Resolver::incomplete()`. Then the sync defs and classes the walked text names are walked
//    too and the rules run again once; if still incomplete, the whole file is checked.
// Findings outside units (module level, class bodies) are always computed afresh; the order is
// sort_findings' over the union, as a merge.
//
// Not covered here: the resolver memoizes binding values and cuts a cycle of bindings by answering
// Unknown for the one in progress, so inside such a cycle the answer depends on which binding was
// asked first - which differs between a whole check and a reused one.
#include "analysis/incremental.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "analysis/fixes/fixes.h"
#include "analysis/mentions.h"
#include "analysis/suppression.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

// A dirty word's class when it is dirty as any name, and the class of members whose class is gone.
constexpr uint32_t kAnyClass = UINT32_MAX;
constexpr uint32_t kGoneClass = UINT32_MAX - 1;

// --- text -----------------------------------------------------------------------------------------

bool is_line_break(char c) {
  return c == '\n' || c == '\r';
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\f';
}

uint32_t line_start(std::string_view text, uint32_t offset) {
  while (offset > 0 && !is_line_break(text[offset - 1])) --offset;
  return offset;
}

// The offset of the break that ends the line holding `offset` (the text's size on the last line).
uint32_t line_end(std::string_view text, uint32_t offset) {
  const auto size = static_cast<uint32_t>(text.size());
  while (offset < size && !is_line_break(text[offset])) ++offset;
  return offset;
}

bool only_blanks(std::string_view text, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; ++i)
    if (!is_blank(text[i])) return false;
  return true;
}

// Nothing else on the lines of [start, end) but indentation before and a comment after.
bool owns_lines(std::string_view text, uint32_t start, uint32_t end) {
  if (!only_blanks(text, line_start(text, start), start)) return false;
  const uint32_t stop = line_end(text, end);
  uint32_t i = end;
  while (i < stop && is_blank(text[i])) ++i;
  return i == stop || text[i] == '#';
}

// --- the outline of a checked file ----------------------------------------------------------------

// Finds the items of a list sorted by start that start exactly where asked, for places asked in order
// (old items moved by an edit keep their order).
template <typename T>
class StartCursor {
 public:
  explicit StartCursor(const std::vector<T>& items) : items_(items) {}
  const T* at(uint32_t start) {
    while (next_ < items_.size() && items_[next_].start < start) ++next_;
    return next_ < items_.size() && items_[next_].start == start ? &items_[next_] : nullptr;
  }

 private:
  const std::vector<T>& items_;
  size_t next_ = 0;
};

bool is_unit(const FileFacts& facts, const FunctionInfo& fn) {
  const Scope& defining = facts.scopes[fn.defining_scope];
  if (defining.kind == ScopeKind::Module) return true;
  return defining.kind == ScopeKind::Class && facts.classes[defining.owner].defining_scope == 0;
}

bool value_exporting(const FunctionUnit& u) {
  return !u.is_async && !u.yields && (u.annotated || u.returns);
}

// The identifier that starts at `at` (empty when none does).
std::string_view identifier_at(std::string_view text, uint32_t at) {
  uint32_t end = at;
  while (end < text.size() && is_word_byte(text[end])) ++end;
  return at <= text.size() ? text.substr(at, end - at) : std::string_view{};
}

bool plain_self(std::string_view text, const FunctionInfo& fn, const FunctionUnit& u) {
  if (fn.class_index < 0) return false;
  const TSNode parameters = field(fn.node, Field::Parameters);
  if (ts_node_is_null(parameters) || ts_node_named_child_count(parameters) == 0) return false;
  const TSNode first = ts_node_named_child(parameters, 0);
  if (kind_of(first) != NodeKind::Identifier || node_text(first, text) != "self") return false;
  const uint32_t parameter = ts_node_start_byte(first);
  bool plain = true;
  for_each_occurrence(text, "self", u.start, u.end, [&](uint32_t at) {
    plain = plain && (at == parameter || (at + 4 < text.size() && text[at + 4] == '.'));
  });
  return plain;
}

// Offsets outside the edited bytes, from the previous text to the current one and back.
struct Shift {
  uint32_t start = 0, old_end = 0, new_end = 0;
  int64_t delta = 0;
  bool maps(uint32_t old_offset) const { return old_offset < start || old_offset >= old_end; }
  uint32_t to_new(uint32_t old_offset) const {
    return old_offset >= old_end ? static_cast<uint32_t>(old_offset + delta) : old_offset;
  }
  uint32_t to_old(uint32_t new_offset) const {
    return new_offset >= new_end ? static_cast<uint32_t>(new_offset - delta) : new_offset;
  }
  // Where something that started at `old_offset` starts now if it kept its start: an edit that
  // begins right where it starts leaves it there.
  bool start_maps(uint32_t old_offset) const { return maps(old_offset) || old_offset == start; }
};

// Units, classes, attribute names and module bindings of a checked file. A skipped body's unit takes
// what was learnt from it from `old` (found at the same place, moved by `shift`).
struct Outline {
  IncrementalState state;
  std::vector<int> function_of_unit;  // index into FileFacts::functions
  std::vector<uint8_t> skipped;       // per unit: its body was not walked
  std::vector<uint32_t> class_slot;   // per FileFacts class: its index in state.classes, or UINT32_MAX
};

// A ClassLookup with the unit it is in, to be gathered into IncrementalState::lookups.
struct UnitLookup {
  uint32_t unit = 0;
  ClassLookup lookup;
  auto operator<=>(const UnitLookup&) const = default;
};

// What resolution looked up in this check, by the unit it is in (lookups outside units are left out:
// module-level code and class bodies are walked every time).
void add_fresh_lookups(const Outline& o, const std::vector<MemberLookup>& fresh,
                       std::vector<UnitLookup>& all) {
  const auto& units = o.state.units;
  for (const MemberLookup& l : fresh) {
    const uint32_t slot = o.class_slot[static_cast<size_t>(l.class_index)];
    if (slot == UINT32_MAX) continue;  // a class inside a function or class: it has no dirty members
    const auto it = std::upper_bound(units.begin(), units.end(), l.at,
                                     [](uint32_t at, const FunctionUnit& u) { return at < u.start; });
    if (it == units.begin() || l.at >= std::prev(it)->end) continue;
    all.push_back({static_cast<uint32_t>(it - units.begin() - 1), {l.at, slot}});
  }
}

void attach_lookups(IncrementalState& s, std::vector<UnitLookup> all) {
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  s.lookups.clear();
  s.lookups.reserve(all.size());
  size_t k = 0;
  for (uint32_t j = 0; j < s.units.size(); ++j) {
    s.units[j].lookups_begin = static_cast<uint32_t>(s.lookups.size());
    for (; k < all.size() && all[k].unit == j; ++k) s.lookups.push_back(all[k].lookup);
    s.units[j].lookups_end = static_cast<uint32_t>(s.lookups.size());
  }
}

std::optional<Outline> outline_of(const SourceFile& file, const FileFacts& facts, const IncrementalState* old,
                                  const Shift& shift) {
  const std::string_view text = file.text();
  Outline out;
  IncrementalState& s = out.state;
  std::vector<uint32_t>& class_slot = out.class_slot;
  class_slot.assign(facts.classes.size(), UINT32_MAX);
  for (size_t i = 0; i < facts.classes.size(); ++i) {
    const ClassInfo& cls = facts.classes[i];
    if (cls.defining_scope != 0) continue;
    class_slot[i] = static_cast<uint32_t>(s.classes.size());
    ClassOutline c;
    c.start = ts_node_start_byte(cls.node);
    c.end = ts_node_end_byte(cls.node);
    const TSNode name = field(cls.node, Field::Name);
    c.name_start = ts_node_is_null(name) ? c.start : ts_node_start_byte(name);
    c.name = cls.name;
    c.has_bases = !cls.bases.empty();
    s.classes.push_back(std::move(c));
  }
  // Per unit: a skipped unit's unit in `old` (its attributes are those), null for a walked one.
  std::vector<const FunctionUnit*> was;
  std::optional<StartCursor<FunctionUnit>> old_unit_at;
  if (old) old_unit_at.emplace(old->units);
  s.units.reserve(old ? old->units.size() + 16 : 0);
  was.reserve(s.units.capacity());
  for (size_t index = 0; index < facts.functions.size(); ++index) {
    const FunctionInfo& fn = facts.functions[index];
    if (!is_unit(facts, fn)) {
      if (fn.body_skipped) return std::nullopt;
      continue;
    }
    FunctionUnit u;
    u.start = ts_node_start_byte(fn.outer_node);
    u.def_start = ts_node_start_byte(fn.node);
    u.end = ts_node_end_byte(fn.node);
    u.name_start = ts_node_is_null(fn.name_node) ? u.start : ts_node_start_byte(fn.name_node);
    u.name = fn.name;
    if (fn.class_index >= 0) u.class_index = class_slot[fn.class_index];
    u.is_async = fn.is_async;
    u.has_error = ts_node_has_error(fn.outer_node);
    was.push_back(nullptr);
    u.locals_begin = static_cast<uint32_t>(s.locals.size());
    if (fn.body_skipped) {
      if (!old || !shift.maps(shift.to_old(u.start))) return std::nullopt;
      const uint32_t old_start = shift.to_old(u.start);
      const FunctionUnit* it = old_unit_at->at(old_start);
      if (!it || shift.to_new(it->end) != u.end || shift.to_new(it->def_start) != u.def_start ||
          shift.to_new(it->name_start) != u.name_start || it->name != u.name || it->is_async != u.is_async)
        return std::nullopt;
      u.body_start = shift.to_new(it->body_start);
      u.parameters_start = shift.to_new(it->parameters_start);
      u.parameters_end = shift.to_new(it->parameters_end);
      u.annotated = it->annotated;
      u.returns = it->returns;
      u.yields = it->yields;
      u.imports_django = it->imports_django;
      u.imports_web_framework = it->imports_web_framework;
      u.owns_lines = it->owns_lines;
      u.plain_self = it->plain_self;
      was.back() = it;
      for (uint32_t k = it->locals_begin; k < it->locals_end; ++k)
        s.locals.push_back(shift.to_new(old->locals[k]));
      u.declares_global = it->declares_global;
    } else {
      const TSNode body = field(fn.node, Field::Body);
      u.body_start = ts_node_is_null(body) ? u.end : ts_node_start_byte(body);
      const TSNode parameters = field(fn.node, Field::Parameters);
      if (!ts_node_is_null(parameters)) {
        u.parameters_start = ts_node_start_byte(parameters);
        u.parameters_end = ts_node_end_byte(parameters);
      }
      u.annotated = !ts_node_is_null(field(fn.node, Field::ReturnType));
      u.returns = !fn.returned.empty();
      u.yields = fn.yields;
      for (const FileFacts::LocalImport& i : facts.local_framework_imports)
        if (u.start <= i.offset && i.offset < u.end) {
          u.imports_django = u.imports_django || i.django;
          u.imports_web_framework = u.imports_web_framework || i.web_framework;
        }
      u.owns_lines = owns_lines(text, u.start, u.end);
      u.plain_self = plain_self(text, fn, u);
      for (const auto& [name, bindings] : facts.scopes[fn.scope].bindings) {
        const uint32_t at = bindings.front().offset;
        // Only where the binding names itself in the text (else the name is simply not excepted).
        if (bindings.front().kind != BindingKind::Global && identifier_at(text, at) == name)
          s.locals.push_back(at);
      }
      std::sort(s.locals.begin() + u.locals_begin, s.locals.end(),
                [&](uint32_t a, uint32_t b) { return identifier_at(text, a) < identifier_at(text, b); });
      for (const std::string_view keyword : {"global", "nonlocal"})
        for_each_occurrence(text, keyword, u.start, u.end, [&](uint32_t) { u.declares_global = true; });
    }
    u.locals_end = static_cast<uint32_t>(s.locals.size());
    s.units.push_back(std::move(u));
    out.function_of_unit.push_back(static_cast<int>(index));
    out.skipped.push_back(fn.body_skipped ? 1 : 0);
  }
  // `self.x = ...` in walked methods, by the unit holding the assignment.
  std::vector<std::pair<uint32_t, std::string_view>> assigned;
  for (size_t i = 0; i < facts.classes.size(); ++i) {
    if (class_slot[i] == UINT32_MAX) continue;
    for (const auto& [name, bindings] : facts.classes[i].instance_attributes)
      for (const Binding& b : bindings) {
        const auto it = std::upper_bound(s.units.begin(), s.units.end(), b.offset,
                                         [](uint32_t at, const FunctionUnit& x) { return at < x.start; });
        if (it == s.units.begin()) continue;
        const auto unit = static_cast<uint32_t>(it - s.units.begin() - 1);
        if (b.offset >= s.units[unit].end || out.skipped[unit]) continue;
        assigned.emplace_back(unit, name);
      }
  }
  std::sort(assigned.begin(), assigned.end());
  assigned.erase(std::unique(assigned.begin(), assigned.end()), assigned.end());
  auto next_assigned = assigned.begin();
  for (size_t unit = 0; unit < s.units.size(); ++unit) {
    FunctionUnit& u = s.units[unit];
    u.attributes_begin = static_cast<uint32_t>(s.attributes.size());
    if (was[unit])
      s.attributes.insert(s.attributes.end(), old->attributes.begin() + was[unit]->attributes_begin,
                          old->attributes.begin() + was[unit]->attributes_end);
    for (; next_assigned != assigned.end() && next_assigned->first == unit; ++next_assigned)
      s.attributes.emplace_back(next_assigned->second);
    u.attributes_end = static_cast<uint32_t>(s.attributes.size());
    if (u.class_index != UINT32_MAX) {
      ClassOutline& c = s.classes[u.class_index];
      if (c.units_end == 0) c.units_begin = static_cast<uint32_t>(unit);
      c.units_end = static_cast<uint32_t>(unit + 1);
    }
  }
  for (size_t i = 0; i < facts.classes.size(); ++i) {
    if (class_slot[i] == UINT32_MAX) continue;
    ClassOutline& c = s.classes[class_slot[i]];
    c.members_begin = static_cast<uint32_t>(s.attributes.size());
    for (const auto& [name, bindings] : facts.scopes[facts.classes[i].scope].bindings)
      if (bindings.back().kind != BindingKind::Function) s.attributes.emplace_back(name);
    c.members_end = static_cast<uint32_t>(s.attributes.size());
  }
  for (const auto& [name, bindings] : facts.scopes[0].bindings)
    for (const Binding& b : bindings) {
      if (b.kind == BindingKind::Function || b.kind == BindingKind::Class) continue;
      ModuleBinding m;
      m.name = std::string(name);
      m.offset = b.offset;
      m.kind = static_cast<int>(b.kind);
      if (!ts_node_is_null(b.value)) {
        m.value_start = ts_node_start_byte(b.value);
        m.value_end = ts_node_end_byte(b.value);
      }
      if (!ts_node_is_null(b.annotation)) {
        m.annotation_start = ts_node_start_byte(b.annotation);
        m.annotation_end = ts_node_end_byte(b.annotation);
      }
      m.target = b.target;
      s.module_bindings.push_back(std::move(m));
    }
  std::sort(s.module_bindings.begin(), s.module_bindings.end(),
            [](const ModuleBinding& x, const ModuleBinding& y) {
              return x.offset != y.offset ? x.offset < y.offset : x.name < y.name;
            });
  return out;
}

// Where a text holds syntax errors: a def or method at the top level or in a top-level class, or the
// whole top-level statement. Disjoint, in order.
std::vector<std::pair<uint32_t, uint32_t>> error_spans(const SourceFile& file) {
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  const auto add = [&](TSNode node) { spans.emplace_back(ts_node_start_byte(node), ts_node_end_byte(node)); };
  file.for_each_top_level([&](TSNode node) {
    if (!ts_node_has_error(node)) return;
    TSNode definition = node;
    if (kind_of(node) == NodeKind::DecoratedDefinition) definition = field(node, Field::Definition);
    const TSNode body =
        kind_of(definition) == NodeKind::ClassDefinition ? field(definition, Field::Body) : TSNode{};
    const size_t before = spans.size();
    if (!ts_node_is_null(body))
      for_each_named_child(body, [&](TSNode member, const char*) {
        if (ts_node_has_error(member)) add(member);
      });
    if (spans.size() == before) add(node);
  });
  return spans;
}

// Whether [start, end) overlaps one of `spans` (disjoint, in order).
bool overlaps(const std::vector<std::pair<uint32_t, uint32_t>>& spans, uint32_t start, uint32_t end) {
  const auto it = std::lower_bound(spans.begin(), spans.end(), std::pair<uint32_t, uint32_t>{end, 0});
  return it != spans.begin() && std::prev(it)->second > start;
}

// `errors`: error_spans(file).
void finish_state(IncrementalState& s, const SourceFile& file, const FileFacts& facts,
                  const Settings& settings, std::vector<std::pair<uint32_t, uint32_t>> errors) {
  s.error_spans = std::move(errors);
  const FixContext fixes{file, facts, settings};
  for (const char* module : {"asyncio", "functools"}) {  // the modules fixes import (await_fixes.cpp)
    const ImportPlan& plan = plan_import(fixes, module);
    ImportPoint p{module, plan.name, plan.edit.has_value(), 0, {}};
    if (plan.edit) {
      p.at = plan.edit->start;
      p.text = plan.edit->new_text;
    }
    s.import_points.push_back(std::move(p));
  }
  s.line_ending = std::string(file.line_ending());
}

IncrementalCheck check_whole(const SourceFile& file, const Settings& settings,
                             std::string_view relative_path) {
  IncrementalCheck check;
  const FileFacts facts = collect_facts(file);
  auto state = std::make_shared<IncrementalState>();
  if (has_skip_file(file, facts)) {
    check.result.skipped = true;
    state->skipped = true;
  } else {
    std::vector<MemberLookup> lookups;
    check.result.findings = run_rules(file, facts, settings, relative_path, nullptr, &lookups);
    Outline outline = std::move(*outline_of(file, facts, nullptr, {}));
    std::vector<UnitLookup> all;
    add_fresh_lookups(outline, lookups, all);
    attach_lookups(outline.state, std::move(all));
    *state = std::move(outline.state);
    finish_state(*state, file, facts, settings, error_spans(file));
    state->imports_django = facts.imports_django;
    state->imports_web_framework = facts.imports_web_framework;
  }
  check.units = state->units.size();
  check.state = std::move(state);
  return check;
}

// --- which units may see a change -----------------------------------------------------------------

// Grows the dirty words to closure over one text and its outline (see the top of the file), marking
// the units to walk and the classes affected. A word is dirty as any name, or only as a member of some
// classes. A member is reached through an attribute (`x.name`), or as a plain name from its class's
// own scope (class body, method defaults, annotations and decorators), never from elsewhere; and
// `self.name` in a plain-self method of a class without bases reaches only that class.
class Closure {
 public:
  static constexpr uint32_t kAnyClass = loopsafe::kAnyClass;
  // The class of a method that is gone along with its class: reached by no plain name (its body is
  // gone too) and by no `self.x` of another class, only where a member was looked up on that class.
  static constexpr uint32_t kGoneClass = loopsafe::kGoneClass;

  // `mentions`: of `text`.
  Closure(const IncrementalState& s, std::string_view text, Mentions& mentions)
      : s_(s),
        text_(text),
        mentions_(mentions),
        walk_(s.units.size()),
        exported_(s.units.size()),
        affected_(s.classes.size()) {}

  void dirty(std::string_view word, uint32_t member_of = kAnyClass) {
    if (word.empty()) return;
    Dirty& d = dirty_[std::string(word)];
    if (member_of == kAnyClass) {
      if (d.any) return;
      d.any = true;
    } else {
      if (std::find(d.classes.begin(), d.classes.end(), member_of) != d.classes.end()) return;
      d.classes.push_back(member_of);
    }
    if (!d.queued) {
      d.queued = true;
      queue_.emplace_back(word);
    }
  }
  void dirty_attributes(const FunctionUnit& u, const IncrementalState& of, uint32_t member_of) {
    for (uint32_t i = u.attributes_begin; i < u.attributes_end; ++i) dirty(of.attributes[i], member_of);
  }
  // `exports`: what the unit gives others may change (its names become dirty).
  void walk(size_t unit, bool exports) {
    const FunctionUnit& u = s_.units[unit];
    if (!walk_[unit]) {
      mark(unit);
      if (u.class_index != kAnyClass) {  // a class's instance attributes come from all its methods
        const ClassOutline& c = s_.classes[u.class_index];
        for (uint32_t i = c.units_begin; i < c.units_end; ++i) mark(i);
      }
    }
    if (exports && !exported_[unit]) {
      exported_[unit] = 1;
      if (value_exporting(u)) dirty(u.name, u.class_index);
      dirty_attributes(u, s_, u.class_index);
    }
  }
  void affect(size_t class_index) {
    if (affected_[class_index]) return;
    affected_[class_index] = 1;
    const ClassOutline& c = s_.classes[class_index];
    dirty(c.name);
    for (uint32_t i = c.units_begin; i < c.units_end; ++i) walk(i, true);
  }
  void run() {
    while (!queue_.empty()) {
      const std::string word = std::move(queue_.back());
      queue_.pop_back();
      Dirty& d = dirty_[word];
      d.queued = false;
      const std::vector<uint32_t>& hits = mentions_.of(word);  // stays valid as Mentions grows
      // Copies: mentioned_at() may grow dirty_.
      const bool any = d.any;
      const std::vector<uint32_t> classes = d.classes;
      for (uint32_t at : hits)
        if ((any && reaches_module_name(at, word)) || (!classes.empty() && reaches(at, classes)))
          mentioned_at(at);
    }
  }

  // Not needed for soundness but to avoid falling back: resolution in a walked unit reads the body
  // of a sync def it calls, and every method of a class whose instance attribute it reads. Walks the
  // sync defs and the classes of methods and attributes its words name (methods and attributes only
  // after a dot, and not as `self.x` of a plain-self method of a class without bases), until closed.
  void complete() {
    enum Kind : uint8_t { SyncFunction, Member, ModuleName };
    struct Named {
      std::string_view name;
      Kind kind;
      uint32_t index;  // SyncFunction, Member: a unit; ModuleName: a module binding
      bool operator<(const Named& other) const { return name < other.name; }
    };
    std::vector<Named> named;
    for (uint32_t i = 0; i < s_.units.size(); ++i) {
      const FunctionUnit& u = s_.units[i];
      if (!u.is_async) named.push_back({u.name, u.class_index == kAnyClass ? SyncFunction : Member, i});
      for (uint32_t k = u.attributes_begin; k < u.attributes_end; ++k)
        named.push_back({s_.attributes[k], Member, i});
    }
    for (const ClassOutline& c : s_.classes)
      if (c.units_end > c.units_begin)
        for (uint32_t k = c.members_begin; k < c.members_end; ++k)
          named.push_back({s_.attributes[k], Member, c.units_begin});
    for (uint32_t i = 0; i < s_.module_bindings.size(); ++i)
      named.push_back({s_.module_bindings[i].name, ModuleName, i});
    std::sort(named.begin(), named.end());
    std::vector<uint8_t> followed(s_.module_bindings.size());
    // Text to read: the walked units, and the values of module names they use.
    struct Range {
      uint32_t start, end;
      const FunctionUnit* unit;
    };
    std::vector<Range> ranges;
    size_t next_unit = 0;
    for (;;) {
      for (; next_unit < order_.size(); ++next_unit) {
        const FunctionUnit& u = s_.units[order_[next_unit]];
        ranges.push_back({u.start, u.end, &u});
      }
      if (ranges.empty()) return;
      const Range range = ranges.back();
      ranges.pop_back();
      for (uint32_t at = range.start; at < range.end;) {
        if (!is_word_byte(text_[at]) || (at > 0 && is_word_byte(text_[at - 1]))) {
          ++at;
          continue;
        }
        uint32_t end = at;
        while (end < range.end && is_word_byte(text_[end])) ++end;
        const Named key{text_.substr(at, end - at), SyncFunction, 0};
        for (auto it = std::lower_bound(named.begin(), named.end(), key);
             it != named.end() && it->name == key.name; ++it) {
          const bool member = attribute_at(at) && !(range.unit && own_self_member(at, *range.unit));
          if (it->kind == SyncFunction || (it->kind == Member && member)) walk(it->index, false);
          if (it->kind == ModuleName && !followed[it->index]) {
            followed[it->index] = 1;
            const ModuleBinding& b = s_.module_bindings[it->index];
            if (b.value_end > b.value_start) ranges.push_back({b.value_start, b.value_end, nullptr});
            if (b.annotation_end > b.annotation_start)
              ranges.push_back({b.annotation_start, b.annotation_end, nullptr});
          }
        }
        at = end;
      }
    }
  }

  bool walks(size_t unit) const { return walk_[unit] != 0; }
  size_t walked() const { return order_.size(); }
  bool affected(size_t class_index) const { return affected_[class_index] != 0; }

 private:
  struct Dirty {
    bool any = false;
    bool queued = false;
    std::vector<uint32_t> classes;
  };

  void mark(uint32_t unit) {
    if (walk_[unit]) return;
    walk_[unit] = 1;
    order_.push_back(unit);
  }

  // The byte before `at` and the blanks before it; 0 at the start of the text.
  char before_blanks(uint32_t at) const {
    while (at > 0 && is_blank(text_[at - 1])) --at;
    return at > 0 ? text_[at - 1] : '\0';
  }

  // An attribute's name follows a dot, blanks, or a line break (inside brackets, after a comment or
  // a backslash): anything else on the same line before it makes it a plain name.
  bool attribute_at(uint32_t at) const {
    const char before = before_blanks(at);
    return before == '\0' || is_line_break(before) || before == '.';
  }

  // `self.name` in `u`, a plain-self method of a class without bases: a member of that class only.
  bool own_self_member(uint32_t at, const FunctionUnit& u) const {
    const bool after_self =
        at >= 5 && text_.substr(at - 5, 5) == "self." && (at == 5 || !is_word_byte(text_[at - 6]));
    return after_self && u.plain_self && u.class_index != kAnyClass && !s_.classes[u.class_index].has_bases;
  }

  const FunctionUnit* unit_at(uint32_t at) const {
    const auto unit = std::upper_bound(s_.units.begin(), s_.units.end(), at,
                                       [](uint32_t p, const FunctionUnit& u) { return p < u.start; });
    return unit != s_.units.begin() && at < std::prev(unit)->end ? &*std::prev(unit) : nullptr;
  }

  // Whether a mention of a module-level name at `at` may be looked up as that name: not after a dot,
  // and not in the body or parameter list of a unit whose own scope binds the word (without `global`
  // in its text).
  bool reaches_module_name(uint32_t at, const std::string& word) const {
    if (before_blanks(at) == '.') return false;
    const FunctionUnit* u = unit_at(at);
    if (!u || u->declares_global) return true;
    if (at < u->body_start && !(u->parameters_start <= at && at < u->parameters_end)) return true;
    const auto first = s_.locals.begin() + u->locals_begin, last = s_.locals.begin() + u->locals_end;
    const auto it =
        std::lower_bound(first, last, std::string_view(word),
                         [&](uint32_t local, std::string_view w) { return identifier_at(text_, local) < w; });
    return it == last || identifier_at(text_, *it) != word;
  }

  // Whether a mention of a member of `classes` at `at` may be looked up on one of them: as a plain
  // name inside one of them; as an attribute outside units; as `self.x` of a plain-self method of one
  // of them; and elsewhere in a unit, where resolution last looked it up on one of them.
  bool reaches(uint32_t at, const std::vector<uint32_t>& classes) const {
    for (uint32_t c : classes)
      if (c < s_.classes.size() && s_.classes[c].start <= at && at < s_.classes[c].end) return true;
    if (!attribute_at(at)) return false;
    const FunctionUnit* u = unit_at(at);
    if (!u) return true;
    if (own_self_member(at, *u))
      return std::find(classes.begin(), classes.end(), u->class_index) != classes.end();
    const auto first = s_.lookups.begin() + u->lookups_begin, last = s_.lookups.begin() + u->lookups_end;
    for (auto it = std::lower_bound(first, last, ClassLookup{at, 0}); it != last && it->at == at; ++it)
      if (std::find(classes.begin(), classes.end(), it->class_index) != classes.end()) return true;
    return false;
  }

  void mentioned_at(uint32_t at) {
    if (const FunctionUnit* u = unit_at(at)) {
      if (at != u->name_start) walk(static_cast<size_t>(u - s_.units.data()), true);
      return;
    }
    const auto cls = std::upper_bound(s_.classes.begin(), s_.classes.end(), at,
                                      [](uint32_t p, const ClassOutline& c) { return p < c.start; });
    if (cls != s_.classes.begin() && at < std::prev(cls)->end) {
      if (at != std::prev(cls)->name_start) affect(static_cast<size_t>(cls - s_.classes.begin() - 1));
      return;
    }
    for (const ModuleBinding& b : s_.module_bindings)
      if ((b.value_start <= at && at < b.value_end) || (b.annotation_start <= at && at < b.annotation_end))
        dirty(b.name);
  }

  const IncrementalState& s_;
  std::string_view text_;
  Mentions& mentions_;
  std::vector<uint8_t> walk_, exported_, affected_;
  std::vector<uint32_t> order_;  // the units walked, in the order marked
  std::unordered_map<std::string, Dirty> dirty_;
  std::vector<std::string> queue_;
};

// Whether a module binding's text overlaps [start, end] (an insertion at either end counts).
bool binding_touched(const ModuleBinding& b, uint32_t start, uint32_t end) {
  if (b.kind == static_cast<int>(BindingKind::Import)) return false;  // its target says it all
  uint32_t low = b.offset, high = static_cast<uint32_t>(b.offset + b.name.size());
  if (b.value_end > b.value_start) low = std::min(low, b.value_start), high = std::max(high, b.value_end);
  if (b.annotation_end > b.annotation_start)
    low = std::min(low, b.annotation_start), high = std::max(high, b.annotation_end);
  return low <= end && start <= high;
}

ModuleBinding moved(ModuleBinding b, const Shift& shift) {
  b.offset = shift.to_new(b.offset);
  if (b.value_end > b.value_start)
    b.value_start = shift.to_new(b.value_start), b.value_end = shift.to_new(b.value_end);
  if (b.annotation_end > b.annotation_start)
    b.annotation_start = shift.to_new(b.annotation_start), b.annotation_end = shift.to_new(b.annotation_end);
  return b;
}

bool binding_less(const ModuleBinding& x, const ModuleBinding& y) {
  return std::tie(x.offset, x.name, x.kind, x.value_start, x.value_end, x.annotation_start, x.annotation_end,
                  x.target) < std::tie(y.offset, y.name, y.kind, y.value_start, y.value_end,
                                       y.annotation_start, y.annotation_end, y.target);
}

// --- reuse ----------------------------------------------------------------------------------------

// The edits as one replaced span: [old_start, old_end) of the previous text became
// [old_start, new_end) of the current one.
Shift merge(const std::vector<SourceEdit>& edits) {
  // `current_*`: the span in the text as it is after the edits seen so far.
  uint32_t old_start = edits[0].start, old_end = edits[0].old_end;
  uint32_t current_start = edits[0].start, current_end = edits[0].new_end;
  for (size_t i = 1; i < edits.size(); ++i) {
    const SourceEdit& e = edits[i];
    const uint32_t start = std::min(current_start, e.start);
    const uint32_t end = std::max(current_end, e.old_end);
    // Bytes before the span are where they were; bytes after it moved with its change in length.
    old_end = end - current_end + old_end;
    old_start = start;
    current_start = start;
    current_end = end + (e.new_end - e.old_end);
  }
  return {old_start, old_end, current_end, static_cast<int64_t>(current_end) - static_cast<int64_t>(old_end)};
}

uint32_t moved(uint32_t offset, const Shift& shift) {
  return shift.to_new(offset);
}

void move_by(Finding& f, const Shift& shift) {
  f.start = moved(f.start, shift);
  f.end = moved(f.end, shift);
  for (RelatedLocation& r : f.related)
    if (r.path.empty()) {
      r.start = moved(r.start, shift);
      r.end = moved(r.end, shift);
    }
  for (Fix& fix : f.fixes) {
    for (TextEdit& e : fix.edits) {
      e.start = moved(e.start, shift);
      e.end = moved(e.end, shift);
    }
    if (fix.region_end > fix.region_start) {
      fix.region_start = moved(fix.region_start, shift);
      fix.region_end = moved(fix.region_end, shift);
    }
  }
}

// The lines an edit touched, as [first line's start, last line's break], in one text.
struct Lines {
  uint32_t low = 0, high = 0;
  bool touch(uint32_t start, uint32_t end) const { return start <= high && low <= end; }
  bool within(std::string_view text, uint32_t start, uint32_t end) const {
    return line_start(text, start) <= low && high <= line_end(text, end);
  }
};

class Reuse {
 public:
  Reuse(const SourceFile& file, const Settings& settings, std::string_view relative_path,
        const PreviousCheck& previous)
      : file_(file),
        settings_(settings),
        relative_path_(relative_path),
        previous_(previous),
        old_(previous.state),
        before_(previous.text),
        now_(file.text()),
        before_mentions_(before_),
        now_mentions_(now_) {}

  std::optional<IncrementalCheck> run(const char*& why);

 private:
  // Phase one guesses from the previous outline alone which units to walk; phase two knows the new
  // outline and says which must be walked; when the guess fell short, the facts are collected again.
  std::vector<uint32_t> guess_skips();
  const char* compare_outlines(const Outline& now);
  void seed(Closure& closure, const Outline& now);
  const char* file_wide(const Outline& now, const FileFacts& facts);
  std::vector<UnitLookup> carried_lookups() const;
  // Gives a carried finding's fixes the imports as planned now (see 3. at the top).
  void move_imports(Finding& f) const;
  // The identifier now where a name of the previous text started (empty when the edit removed it).
  std::string_view name_now(uint32_t old_name_start) const {
    return shift_.start_maps(old_name_start) ? identifier_at(now_, shift_.to_new(old_name_start))
                                             : std::string_view{};
  }

  const SourceFile& file_;
  const Settings& settings_;
  std::string_view relative_path_;
  const PreviousCheck& previous_;
  const IncrementalState& old_;
  std::string_view before_, now_;
  Mentions before_mentions_, now_mentions_;
  Shift shift_;
  Lines old_lines_, new_lines_;
  std::vector<std::pair<uint32_t, uint32_t>> errors_now_;  // error_spans() of the current text
  struct ImportMove {
    TextEdit from;               // an import edit of the previous plan, moved
    std::optional<TextEdit> to;  // the current plan's, if it still adds one
  };
  std::vector<ImportMove> import_moves_;
  std::vector<uint8_t> touched_;        // per old unit
  std::vector<uint8_t> class_touched_;  // per old class
  // Phase two: per new unit, the old unit found at its place (untouched) or edited in place; per old
  // unit, the new one.
  std::vector<int> old_of_new_, new_of_old_;
  std::vector<uint8_t> in_place_, body_only_;  // per new unit
  std::vector<int> old_class_of_new_, new_class_of_old_;
};

std::vector<uint32_t> Reuse::guess_skips() {
  Closure closure(old_, before_, before_mentions_);
  // seed() dirties the units that hold a syntax error now, and finds changed what error recovery
  // regrouped before or now (a class and its methods): guessing those spares a second walk.
  errors_now_ = error_spans(file_);
  std::vector<std::pair<uint32_t, uint32_t>> errors;  // of the new text, in offsets of the previous one
  for (const auto& [start, end] : errors_now_) errors.emplace_back(shift_.to_old(start), shift_.to_old(end));
  if (!old_.error_spans.empty())
    file_.for_each_top_level([&](TSNode node) {
      const uint32_t start = shift_.to_old(ts_node_start_byte(node)),
                     end = shift_.to_old(ts_node_end_byte(node));
      if (!overlaps(old_.error_spans, start, end)) return;
      // Units are disjoint and in order: those ending after `start`, up to the first starting at `end`.
      const auto first = std::partition_point(old_.units.begin(), old_.units.end(),
                                              [&](const FunctionUnit& u) { return u.end <= start; });
      for (auto u = first; u != old_.units.end() && u->start < end; ++u)
        closure.walk(static_cast<size_t>(u - old_.units.begin()), false);
      const TSNode definition =
          kind_of(node) == NodeKind::DecoratedDefinition ? field(node, Field::Definition) : node;
      if (kind_of(definition) == NodeKind::ClassDefinition)
        closure.dirty(file_.text_of(field(definition, Field::Name)));
    });
  for (size_t i = 0; i < old_.units.size(); ++i) {
    const FunctionUnit& u = old_.units[i];
    if (u.has_error || !u.owns_lines) closure.walk(i, false);
    if (u.has_error || overlaps(errors, u.start, u.end)) {
      closure.walk(i, false);
      closure.dirty(u.name, u.class_index);
      closure.dirty_attributes(u, old_, u.class_index);
    }
    if (!touched_[i]) continue;
    closure.walk(i, false);
    // A guess at what seed() will decide: the name stays clean when the edit is inside the def and
    // after its name, unless callers learn a value from it.
    const bool in_place = old_lines_.within(before_, u.start, u.end) &&
                          shift_.start > static_cast<uint32_t>(u.name_start + u.name.size());
    if (!in_place || value_exporting(u) || u.yields) {
      closure.dirty(u.name, u.class_index);
      closure.dirty(name_now(u.name_start), u.class_index);  // renamed: seed() dirties both
    }
    closure.dirty_attributes(u, old_, u.class_index);
  }
  for (size_t c = 0; c < old_.classes.size(); ++c) {
    const ClassOutline& cls = old_.classes[c];
    // A syntax error now in its header or across its methods: error recovery regroups it, and
    // seed() finds it gone or changed.
    bool broken = false;
    for (auto span = std::partition_point(errors.begin(), errors.end(),
                                          [&](const auto& e) { return e.second <= cls.start; });
         !broken && span != errors.end() && span->first < cls.end; ++span) {
      broken = true;
      for (uint32_t i = cls.units_begin; i < cls.units_end; ++i)
        if (old_.units[i].start <= span->first && span->second <= old_.units[i].end) broken = false;
    }
    if (!class_touched_[c] && !broken) continue;
    bool inside_one_method = false;
    for (uint32_t i = cls.units_begin; i < cls.units_end; ++i)
      inside_one_method =
          inside_one_method || old_lines_.within(before_, old_.units[i].start, old_.units[i].end);
    if (inside_one_method && !broken) continue;
    closure.affect(c);
    closure.dirty(name_now(cls.name_start));
  }
  for (const ModuleBinding& b : old_.module_bindings)
    if (binding_touched(b, shift_.start, shift_.old_end)) closure.dirty(b.name);
  closure.run();
  std::vector<uint32_t> skip;
  for (size_t i = 0; i < old_.units.size(); ++i)
    if (!closure.walks(i)) skip.push_back(shift_.to_new(old_.units[i].def_start));
  std::sort(skip.begin(), skip.end());
  return skip;
}

const char* Reuse::compare_outlines(const Outline& now) {
  const auto& units = now.state.units;
  const auto& classes = now.state.classes;
  old_of_new_.assign(units.size(), -1);
  new_of_old_.assign(old_.units.size(), -1);
  in_place_.assign(units.size(), 0);
  body_only_.assign(units.size(), 0);
  old_class_of_new_.assign(classes.size(), -1);
  new_class_of_old_.assign(old_.classes.size(), -1);
  std::vector<int>& new_class_of_old = new_class_of_old_;
  StartCursor<ClassOutline> class_at(classes);
  for (size_t c = 0; c < old_.classes.size(); ++c) {
    const ClassOutline& was = old_.classes[c];
    if (!shift_.start_maps(was.start)) continue;
    const uint32_t start = shift_.to_new(was.start);
    const ClassOutline* it = class_at.at(start);
    const bool found = it != nullptr;
    if (found && (class_touched_[c] || (it->name == was.name && shift_.maps(was.name_start) &&
                                        it->name_start == shift_.to_new(was.name_start) &&
                                        shift_.maps(was.end) && it->end == shift_.to_new(was.end)))) {
      new_class_of_old[c] = static_cast<int>(it - classes.data());
      old_class_of_new_[new_class_of_old[c]] = static_cast<int>(c);
    } else {
      // Changed although the edit is elsewhere (error recovery regrouped the code around a syntax
      // error): from here on it counts as touched.
      class_touched_[c] = 1;
    }
  }
  const auto same_class = [&](const FunctionUnit& was, const FunctionUnit& is) {
    if (was.class_index == UINT32_MAX || is.class_index == UINT32_MAX)
      return was.class_index == is.class_index;
    return new_class_of_old[was.class_index] == static_cast<int>(is.class_index);
  };
  StartCursor<FunctionUnit> unit_at(units);
  for (size_t i = 0; i < old_.units.size(); ++i) {
    const FunctionUnit& was = old_.units[i];
    if (!shift_.start_maps(was.start)) continue;
    const uint32_t start = shift_.to_new(was.start);
    const FunctionUnit* it = unit_at.at(start);
    const bool found = it != nullptr && same_class(was, *it);
    const auto j = static_cast<size_t>(it ? it - units.data() : 0);
    if (!touched_[i]) {
      if (found && it->name == was.name && shift_.maps(was.name_start) &&
          it->name_start == shift_.to_new(was.name_start) && it->is_async == was.is_async &&
          shift_.maps(was.end) && it->end == shift_.to_new(was.end) && shift_.maps(was.body_start) &&
          it->body_start == shift_.to_new(was.body_start) && it->has_error == was.has_error) {
        old_of_new_[j] = static_cast<int>(i);
        new_of_old_[i] = static_cast<int>(j);
        continue;
      }
      // Changed although the edit is elsewhere (error recovery): gone, like a touched unit that is not
      // where it was; whatever stands there now is new.
      touched_[i] = 1;
    }
    // Edited in place: the same def at the same place, the edit inside its lines before and after.
    if (!found || !old_lines_.within(before_, was.start, was.end) ||
        !new_lines_.within(now_, it->start, it->end))
      continue;
    old_of_new_[j] = static_cast<int>(i);
    new_of_old_[i] = static_cast<int>(j);
    in_place_[j] = 1;
    // Only the body: the header's lines come before the edited ones, in both texts.
    body_only_[j] = it->name == was.name && it->is_async == was.is_async && it->annotated == was.annotated &&
                    line_start(before_, was.body_start) <= old_lines_.low &&
                    only_blanks(before_, line_start(before_, was.body_start), was.body_start) &&
                    line_start(now_, it->body_start) <= new_lines_.low &&
                    only_blanks(now_, line_start(now_, it->body_start), it->body_start);
  }
  return nullptr;
}

void Reuse::seed(Closure& closure, const Outline& now) {
  const auto& units = now.state.units;
  for (size_t j = 0; j < units.size(); ++j) {
    const FunctionUnit& is = units[j];
    if (is.has_error || !is.owns_lines) closure.walk(j, false);
    if (is.has_error) {  // error recovery may read its unchanged text differently now
      closure.dirty(is.name, is.class_index);
      closure.dirty_attributes(is, now.state, is.class_index);
    }
    const int i = old_of_new_[j];
    if (i >= 0 && !in_place_[j]) continue;  // untouched
    closure.walk(j, false);
    closure.dirty_attributes(is, now.state, is.class_index);
    if (i < 0) {  // new, or no longer what it was
      closure.dirty(is.name, is.class_index);
      continue;
    }
    // Edited in place (same class). Its `self.x` values may differ whatever the edit; what callers
    // learn through its name only when its face (name, async, decorators, yielding) changed or it
    // gives a value: from returns (a sync def without annotation), or from a header that was edited.
    const FunctionUnit& was = old_.units[static_cast<size_t>(i)];
    closure.dirty_attributes(was, old_, is.class_index);
    const bool same_face = was.name == is.name && was.is_async == is.is_async && was.yields == is.yields &&
                           before_.substr(was.start, was.def_start - was.start) ==
                               now_.substr(is.start, is.def_start - is.start);
    const bool gives_value = body_only_[j]
                                 ? !is.is_async && !is.yields && !is.annotated && (was.returns || is.returns)
                                 : value_exporting(was) || value_exporting(is);
    if (!same_face || gives_value) {
      closure.dirty(was.name, is.class_index);
      closure.dirty(is.name, is.class_index);
    }
  }
  for (size_t i = 0; i < old_.units.size(); ++i) {
    if (new_of_old_[i] >= 0) continue;  // gone: what named it must look again
    const FunctionUnit& was = old_.units[i];
    const uint32_t member_of = was.class_index == Closure::kAnyClass ? Closure::kAnyClass
                               : new_class_of_old_[was.class_index] < 0
                                   ? Closure::kGoneClass
                                   : static_cast<uint32_t>(new_class_of_old_[was.class_index]);
    closure.dirty(was.name, member_of);
    closure.dirty_attributes(was, old_, member_of);
  }
  // A class is unaffected by an edit only when the edit stays inside one of its methods, edited in place.
  for (size_t c = 0; c < now.state.classes.size(); ++c) {
    const int was = old_class_of_new_[c];
    if (was >= 0 && !class_touched_[static_cast<size_t>(was)]) continue;
    bool inside_one_method = false;
    const ClassOutline& cls = now.state.classes[c];
    for (uint32_t j = cls.units_begin; j < cls.units_end; ++j)
      inside_one_method =
          inside_one_method || (in_place_[j] && new_lines_.within(now_, units[j].start, units[j].end));
    if (was < 0 || !inside_one_method) {
      closure.affect(c);
      if (was >= 0) closure.dirty(old_.classes[static_cast<size_t>(was)].name);
    }
  }
  for (size_t c = 0; c < old_.classes.size(); ++c)
    if (class_touched_[c] && std::find(old_class_of_new_.begin(), old_class_of_new_.end(),
                                       static_cast<int>(c)) == old_class_of_new_.end())
      closure.dirty(old_.classes[c].name);
  // Module bindings: the names whose bindings differ, or whose text was edited.
  std::vector<ModuleBinding> before, after;
  for (const ModuleBinding& b : old_.module_bindings) {
    if (binding_touched(b, shift_.start, shift_.old_end))
      closure.dirty(b.name);
    else
      before.push_back(moved(b, shift_));
  }
  for (const ModuleBinding& b : now.state.module_bindings) {
    if (binding_touched(b, shift_.start, shift_.new_end))
      closure.dirty(b.name);
    else
      after.push_back(b);
  }
  std::sort(before.begin(), before.end(), binding_less);
  std::sort(after.begin(), after.end(), binding_less);
  std::vector<ModuleBinding> differing;
  std::set_symmetric_difference(before.begin(), before.end(), after.begin(), after.end(),
                                std::back_inserter(differing), binding_less);
  for (const ModuleBinding& b : differing) closure.dirty(b.name);
}

// The previous lookups of each unit found again (untouched or edited in place), moved, on the classes
// as they map now; those inside the edited bytes are dropped. Kept for a walked unit too, along with
// what this check looks up: a lookup made only when another unit asked (what a sync def returns, the
// value of `self.x`) is made again only when that unit is walked.
std::vector<UnitLookup> Reuse::carried_lookups() const {
  std::vector<UnitLookup> all;
  for (size_t j = 0; j < old_of_new_.size(); ++j) {
    const int i = old_of_new_[j];
    if (i < 0) continue;
    const FunctionUnit& was = old_.units[static_cast<size_t>(i)];
    for (uint32_t k = was.lookups_begin; k < was.lookups_end; ++k) {
      const ClassLookup& l = old_.lookups[k];
      // A class already gone from the previous text: its members were dirty then, none can be now.
      if (!shift_.maps(l.at) || l.class_index >= old_.classes.size()) continue;
      const int c = new_class_of_old_[l.class_index];
      all.push_back(
          {static_cast<uint32_t>(j), {shift_.to_new(l.at), c < 0 ? kGoneClass : static_cast<uint32_t>(c)}});
    }
  }
  return all;
}

const char* Reuse::file_wide(const Outline& now, const FileFacts& facts) {
  bool django = facts.imports_django, web = facts.imports_web_framework;
  for (size_t j = 0; j < now.state.units.size(); ++j)
    if (now.skipped[j]) {
      django = django || now.state.units[j].imports_django;
      web = web || now.state.units[j].imports_web_framework;
    }
  if (django != old_.imports_django || web != old_.imports_web_framework) return "framework imports changed";
  if (now.state.line_ending != old_.line_ending) return "the line ending changed";
  if (now.state.import_points.size() != old_.import_points.size())
    return "the import insertion point changed";
  import_moves_.clear();
  for (size_t k = 0; k < old_.import_points.size(); ++k) {
    const ImportPoint& was = old_.import_points[k];
    const ImportPoint& is = now.state.import_points[k];
    if (was.module != is.module || was.name != is.name || (!was.has_edit && is.has_edit))
      return "the import insertion point changed";
    if (!was.has_edit) continue;
    // Where the carried fixes have it: moved as move_by() moves their edits.
    ImportMove move{{moved(was.at, shift_), moved(was.at, shift_), was.text}, std::nullopt};
    if (is.has_edit) move.to = TextEdit{is.at, is.at, is.text};
    if (move.to != move.from) import_moves_.push_back(std::move(move));
  }
  return nullptr;
}

void Reuse::move_imports(Finding& f) const {
  for (Fix& fix : f.fixes) {
    bool changed = false;
    for (const ImportMove& move : import_moves_) {
      const auto it = std::find(fix.edits.begin(), fix.edits.end(), move.from);
      if (it == fix.edits.end()) continue;
      changed = true;
      if (move.to)
        *it = *move.to;
      else
        fix.edits.erase(it);
    }
    if (changed) sort_edits(fix.edits);
  }
}

std::optional<IncrementalCheck> Reuse::run(const char*& why) {
  if (old_.skipped) return why = "the previous version was skipped", std::nullopt;
  if (previous_.edits.empty()) {
    if (now_ != before_) return why = "the text was replaced", std::nullopt;
    IncrementalCheck same{{previous_.findings, false}, std::make_shared<IncrementalState>(old_), true};
    same.units = old_.units.size();
    return same;
  }
  shift_ = merge(previous_.edits);
  if (static_cast<int64_t>(now_.size()) != static_cast<int64_t>(before_.size()) + shift_.delta ||
      shift_.old_end > before_.size())
    return why = "the edits do not match the text", std::nullopt;
  before_mentions_.carry(&old_.word_hits);
  now_mentions_.carry(&before_mentions_.known(), shift_.start, shift_.old_end, shift_.new_end);
  old_lines_ = {line_start(before_, shift_.start), line_end(before_, shift_.old_end)};
  new_lines_ = {old_lines_.low, static_cast<uint32_t>(old_lines_.high + shift_.delta)};

  touched_.assign(old_.units.size(), 0);
  for (size_t i = 0; i < old_.units.size(); ++i)
    touched_[i] = old_lines_.touch(old_.units[i].start, old_.units[i].end) ? 1 : 0;
  class_touched_.assign(old_.classes.size(), 0);
  for (size_t c = 0; c < old_.classes.size(); ++c)
    class_touched_[c] = old_lines_.touch(old_.classes[c].start, old_.classes[c].end) ? 1 : 0;

  std::vector<uint32_t> skip = guess_skips();
  std::optional<FileFacts> facts(collect_facts(file_, &skip));
  if (has_skip_file(file_, *facts)) return why = "skip-file", std::nullopt;
  std::optional<Outline> now = outline_of(file_, *facts, &old_, shift_);
  if (!now) return why = "the outline changed", std::nullopt;
  if (const char* problem = compare_outlines(*now)) return why = problem, std::nullopt;

  // Outline and mapping are final from here on (a second collection must find the same units).
  const std::vector<UnitLookup> old_lookups = carried_lookups();
  attach_lookups(now->state, old_lookups);
  Closure closure(now->state, now_, now_mentions_);
  seed(closure, *now);
  closure.run();
  // The closure says what must be walked; a walk that left some of it out (the guess fell short, or
  // resolution turned out to need more) collects the facts again. Walking more than needed is
  // harmless: those findings are computed afresh.
  std::vector<Finding> fresh;
  std::vector<MemberLookup> fresh_lookups;
  size_t walked = 0, collections = 1;
  for (bool completed = false;; completed = true) {
    std::vector<uint32_t> must_skip;
    bool walked_enough = true;
    for (size_t j = 0; j < now->state.units.size(); ++j) {
      if (!closure.walks(j)) {
        if (old_of_new_[j] < 0 || in_place_[j]) return why = "the outline changed", std::nullopt;
        must_skip.push_back(now->state.units[j].def_start);
      } else if (now->skipped[j]) {
        walked_enough = false;
      }
    }
    if (!walked_enough) {
      ++collections;
      std::sort(must_skip.begin(), must_skip.end());
      const size_t count = now->state.units.size();
      facts.emplace(collect_facts(file_, &must_skip));
      now = outline_of(file_, *facts, &old_, shift_);
      if (!now || now->state.units.size() != count) return why = "the outline changed", std::nullopt;
      attach_lookups(now->state, old_lookups);
    }
    walked = 0;
    for (size_t j = 0; j < now->state.units.size(); ++j) {
      if (now->skipped[j] && (closure.walks(j) || now->state.units[j].has_error))
        return why = "the outline changed", std::nullopt;
      walked += now->skipped[j] ? 0 : 1;
    }
    if (!completed || !walked_enough) {
      finish_state(now->state, file_, *facts, settings_, errors_now_);
      if (const char* problem = file_wide(*now, *facts)) return why = problem, std::nullopt;
    }
    now->state.imports_django = old_.imports_django;
    now->state.imports_web_framework = old_.imports_web_framework;
    // Whether a skipped def is a generator, and what it assigns as `self.name`, is known from before.
    for (ClassInfo& cls : facts->classes)
      if (cls.has_skipped_method) cls.skipped_attributes.emplace();
    for (size_t j = 0; j < now->state.units.size(); ++j)
      if (now->skipped[j]) {
        const FunctionUnit& u = now->state.units[j];
        FunctionInfo& fn = facts->functions[static_cast<size_t>(now->function_of_unit[j])];
        fn.yields = u.yields;
        fn.yields_known = true;
        if (fn.class_index < 0) continue;
        std::vector<std::string_view>& assigned =
            *facts->classes[static_cast<size_t>(fn.class_index)].skipped_attributes;
        assigned.insert(assigned.end(), now->state.attributes.begin() + u.attributes_begin,
                        now->state.attributes.begin() + u.attributes_end);
      }
    bool incomplete = false;
    fresh_lookups.clear();
    fresh = run_rules(file_, *facts, settings_, relative_path_, &incomplete, &fresh_lookups);
    if (!incomplete) break;
    const size_t before = closure.walked();
    if (completed || (closure.complete(), closure.walked() == before))
      return why = "resolution needed an unchanged body", std::nullopt;
  }

  std::vector<UnitLookup> lookups = old_lookups;
  add_fresh_lookups(*now, fresh_lookups, lookups);
  attach_lookups(now->state, std::move(lookups));

  // Findings inside skipped units carry over, moved like their unit, merged with the fresh ones in
  // sort_findings' order (stable, by start then code; fresh ones first among equals).
  std::vector<Finding> findings;
  findings.reserve(fresh.size() + previous_.findings.size());
  auto next_fresh = fresh.begin();
  size_t unit = 0;
  for (const Finding& f : previous_.findings) {
    while (unit < old_.units.size() && old_.units[unit].end <= f.start) ++unit;
    if (unit == old_.units.size()) break;
    if (f.start < old_.units[unit].start) continue;
    const int j = new_of_old_[unit];
    if (j < 0 || !now->skipped[static_cast<size_t>(j)]) continue;
    const uint32_t start = moved(f.start, shift_);
    for (; next_fresh != fresh.end() &&
           (next_fresh->start != start ? next_fresh->start < start : next_fresh->code <= f.code);
         ++next_fresh)
      findings.push_back(std::move(*next_fresh));
    findings.push_back(f);
    move_by(findings.back(), shift_);
    if (!import_moves_.empty()) move_imports(findings.back());
  }
  std::move(next_fresh, fresh.end(), std::back_inserter(findings));
  now->state.word_hits = now_mentions_.take();
  IncrementalCheck check{
      {std::move(findings), false}, std::make_shared<IncrementalState>(std::move(now->state)), true};
  check.walked = walked;
  check.collections = collections;
  check.units = check.state->units.size();
  return check;
}

}  // namespace

IncrementalCheck check_file_incremental(const SourceFile& file, const Settings& settings,
                                        std::string_view relative_path, const PreviousCheck* previous) {
  const char* why = "no previous check";
  if (previous)
    if (auto reused = Reuse(file, settings, relative_path, *previous).run(why)) return std::move(*reused);
  IncrementalCheck whole = check_whole(file, settings, relative_path);
  whole.why_whole = why;
  return whole;
}

}  // namespace loopsafe
