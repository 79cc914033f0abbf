#include "analysis/incremental.h"

#include <algorithm>
#include <optional>

#include "analysis/suppression.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

bool is_unit(const FileFacts& facts, const FunctionInfo& fn) {
  const Scope& defining = facts.scopes[fn.defining_scope];
  if (defining.kind == ScopeKind::Module) return true;
  return defining.kind == ScopeKind::Class && facts.classes[defining.owner].defining_scope == 0;
}

std::string text_or_empty(const SourceFile& file, TSNode node) {
  return ts_node_is_null(node) ? std::string() : std::string(file.text_of(node));
}

// What code outside a function can learn from its body, as text; equal texts mean equal answers.
std::string exports_of(const SourceFile& file, const FileFacts& facts, const FunctionInfo& fn) {
  std::string out;
  for (TSNode returned : fn.returned) {
    out += "return ";
    out += file.text_of(returned);
    out += '\n';
  }
  if (fn.yields) out += "yield\n";
  if (fn.class_index >= 0) {
    // Per attribute in the order assigned (the first typed one wins), attributes by name.
    std::vector<std::pair<std::string_view, std::string>> attributes;
    for (const auto& [name, bindings] : facts.classes[fn.class_index].instance_attributes)
      for (const Binding& b : bindings)
        if (b.scope == fn.scope)
          attributes.emplace_back(name,
                                  text_or_empty(file, b.annotation) + "=" + text_or_empty(file, b.value));
    std::stable_sort(attributes.begin(), attributes.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [name, value] : attributes) {
      out += "self.";
      out += name;
      out += ":" + value + "\n";
    }
  }
  return out;
}

// The units of a checked file; skipped bodies take their exports from `previous` (same order).
std::optional<std::vector<FunctionUnit>> units_of(const SourceFile& file, const FileFacts& facts,
                                                  const std::vector<FunctionUnit>* previous) {
  std::vector<FunctionUnit> units;
  for (const FunctionInfo& fn : facts.functions) {
    if (!is_unit(facts, fn)) continue;
    FunctionUnit u;
    u.start = ts_node_start_byte(fn.outer_node);
    u.end = ts_node_end_byte(fn.node);
    const TSNode body = field(fn.node, "body");
    u.body_start = ts_node_is_null(body) ? u.end : ts_node_start_byte(body);
    if (fn.class_index >= 0) u.class_start = ts_node_start_byte(facts.classes[fn.class_index].node);
    if (fn.body_skipped) {
      if (!previous || units.size() >= previous->size()) return std::nullopt;
      const FunctionUnit& before = (*previous)[units.size()];
      u.exports = before.exports;
      u.yields = before.yields;
      u.imports_django = before.imports_django;
      u.imports_web_framework = before.imports_web_framework;
    } else {
      u.exports = exports_of(file, facts, fn);
      u.yields = fn.yields;
      for (const FileFacts::LocalImport& i : facts.local_framework_imports)
        if (u.start <= i.offset && i.offset < u.end) {
          u.imports_django = u.imports_django || i.django;
          u.imports_web_framework = u.imports_web_framework || i.web_framework;
        }
    }
    units.push_back(std::move(u));
  }
  return units;
}

IncrementalCheck check_whole(const SourceFile& file, const Settings& settings,
                             std::string_view relative_path) {
  IncrementalCheck check;
  const FileFacts facts = collect_facts(file);
  auto state = std::make_shared<IncrementalState>();
  if (has_skip_file(file, facts)) {
    check.result.skipped = true;
  } else {
    check.result.findings = run_rules(file, facts, settings, relative_path);
    state->units = *units_of(file, facts, nullptr);
  }
  check.state = std::move(state);
  return check;
}

// The edits as one replaced span: [old_start, old_end) of the previous text became
// [old_start, new_end) of the current one.
struct Span {
  uint32_t old_start = 0, old_end = 0, new_end = 0;
};

Span merge(const std::vector<SourceEdit>& edits) {
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
  return {old_start, old_end, current_end};
}

uint32_t moved(uint32_t offset, uint32_t threshold, int64_t delta) {
  return offset >= threshold ? static_cast<uint32_t>(offset + delta) : offset;
}

Finding moved(Finding f, uint32_t threshold, int64_t delta) {
  f.start = moved(f.start, threshold, delta);
  f.end = moved(f.end, threshold, delta);
  for (RelatedLocation& r : f.related)
    if (r.path.empty()) {
      r.start = moved(r.start, threshold, delta);
      r.end = moved(r.end, threshold, delta);
    }
  for (Fix& fix : f.fixes) {
    for (TextEdit& e : fix.edits) {
      e.start = moved(e.start, threshold, delta);
      e.end = moved(e.end, threshold, delta);
    }
    if (fix.region_end > fix.region_start) {
      fix.region_start = moved(fix.region_start, threshold, delta);
      fix.region_end = moved(fix.region_end, threshold, delta);
    }
  }
  return f;
}

std::optional<IncrementalCheck> reuse(const SourceFile& file, const Settings& settings,
                                      std::string_view relative_path, const PreviousCheck& previous) {
  const std::vector<FunctionUnit>& old_units = previous.state.units;
  if (previous.edits.empty()) {
    if (file.text() != previous.text) return std::nullopt;
    return IncrementalCheck{
        {previous.findings, false}, std::make_shared<IncrementalState>(previous.state), true};
  }
  const Span span = merge(previous.edits);
  const int64_t delta = static_cast<int64_t>(span.new_end) - static_cast<int64_t>(span.old_end);
  // The one unit whose body holds every edit.
  const auto changed = std::find_if(old_units.begin(), old_units.end(), [&](const FunctionUnit& u) {
    return u.body_start <= span.old_start && span.old_end <= u.end;
  });
  if (changed == old_units.end()) return std::nullopt;

  std::vector<uint32_t> skip;
  std::vector<FunctionUnit> expected = old_units;
  for (FunctionUnit& u : expected) {
    const bool after = u.start > changed->start;
    if (&u - expected.data() == changed - old_units.begin()) {
      u.end = static_cast<uint32_t>(u.end + delta);
      continue;
    }
    if (after) {
      u.start = static_cast<uint32_t>(u.start + delta);
      u.end = static_cast<uint32_t>(u.end + delta);
      u.body_start = static_cast<uint32_t>(u.body_start + delta);
    }
    if (u.class_start != UINT32_MAX && u.class_start > changed->start)
      u.class_start = static_cast<uint32_t>(u.class_start + delta);
    const bool same_class = changed->class_start != UINT32_MAX && u.class_start == changed->class_start;
    if (!same_class) skip.push_back(u.body_start);
  }

  FileFacts facts = collect_facts(file, &skip);
  if (has_skip_file(file, facts)) return std::nullopt;
  // Whether a skipped function is a generator is known from before (units are in source order).
  size_t unit_index = 0;
  for (FunctionInfo& fn : facts.functions) {
    if (!is_unit(facts, fn)) continue;
    if (unit_index >= old_units.size()) return std::nullopt;
    if (fn.body_skipped) {
      fn.yields = old_units[unit_index].yields;
      fn.yields_known = true;
    }
    ++unit_index;
  }
  // Framework imports in bodies that were not walked count as they did before.
  for (size_t i = 0; i < expected.size(); ++i)
    if (std::binary_search(skip.begin(), skip.end(), expected[i].body_start)) {
      facts.imports_django = facts.imports_django || old_units[i].imports_django;
      facts.imports_web_framework = facts.imports_web_framework || old_units[i].imports_web_framework;
    }

  auto units = units_of(file, facts, &old_units);
  if (!units || units->size() != expected.size()) return std::nullopt;
  size_t skipped = 0;
  for (size_t i = 0; i < units->size(); ++i) {
    const FunctionUnit& now = (*units)[i];
    const FunctionUnit& want = expected[i];
    if (now.start != want.start || now.end != want.end || now.body_start != want.body_start ||
        now.class_start != want.class_start)
      return std::nullopt;
  }
  for (const FunctionInfo& fn : facts.functions) skipped += fn.body_skipped ? 1 : 0;
  if (skipped != skip.size()) return std::nullopt;  // a skip offset that matched no body, or another one
  const size_t changed_index = static_cast<size_t>(changed - old_units.begin());
  const FunctionUnit& changed_now = (*units)[changed_index];
  if (changed_now.exports != changed->exports || changed_now.imports_django != changed->imports_django ||
      changed_now.imports_web_framework != changed->imports_web_framework)
    return std::nullopt;

  bool incomplete = false;
  std::vector<Finding> findings = run_rules(file, facts, settings, relative_path, &incomplete);
  if (incomplete) return std::nullopt;

  // Findings inside skipped units carry over, moved like their unit.
  size_t unit = 0;
  const uint32_t threshold = changed->end;
  for (const Finding& f : previous.findings) {
    while (unit < old_units.size() && old_units[unit].end <= f.start) ++unit;
    if (unit == old_units.size() || f.start < old_units[unit].start) continue;
    const FunctionUnit& old = old_units[unit];
    const bool walked =
        &old == &*changed || (changed->class_start != UINT32_MAX && old.class_start == changed->class_start);
    if (!walked) findings.push_back(moved(f, threshold, delta));
  }
  sort_findings(findings);
  auto state = std::make_shared<IncrementalState>();
  state->units = std::move(*units);
  return IncrementalCheck{{std::move(findings), false}, std::move(state), true};
}

}  // namespace

IncrementalCheck check_file_incremental(const SourceFile& file, const Settings& settings,
                                        std::string_view relative_path, const PreviousCheck* previous) {
  if (previous)
    if (auto reused = reuse(file, settings, relative_path, *previous)) return std::move(*reused);
  return check_whole(file, settings, relative_path);
}

}  // namespace loopsafe
