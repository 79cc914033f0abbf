#include "analysis/checker.h"

#include <algorithm>

#include "analysis/facts.h"
#include "analysis/resolve.h"
#include "analysis/rules/rule.h"
#include "analysis/suppression.h"

namespace loopsafe {

CheckResult check_file(const SourceFile& file, const Settings& settings, std::string_view relative_path) {
  CheckResult result;
  const FileFacts facts = collect_facts(file);
  if (has_skip_file(file, facts)) {
    result.skipped = true;
    return result;
  }
  result.findings = run_rules(file, facts, settings, relative_path);
  return result;
}

std::vector<Finding> run_rules(const SourceFile& file, const FileFacts& facts, const Settings& settings,
                               std::string_view relative_path, bool* incomplete,
                               std::vector<MemberLookup>* lookups) {
  const Resolver resolver(file, facts, lookups);
  std::vector<Finding> findings = run_rules(file, facts, resolver, settings, relative_path);
  if (incomplete) *incomplete = resolver.incomplete();
  return findings;
}

std::vector<Finding> run_rules(const SourceFile& file, const FileFacts& facts, const Resolver& resolver,
                               const Settings& settings, std::string_view relative_path) {
  RuleContext ctx{file, facts, resolver, settings, FixContext{file, facts, settings}, {}, {}};
  for (Rule rule : all_rules()) rule(ctx);

  std::vector<Finding>& findings = ctx.findings;
  std::erase_if(findings, [&](const Finding& f) {
    return !settings.enabled(f.code) || settings.ignored_for_path(f.code, relative_path);
  });
  apply_noqa(file, facts, findings);
  for (Finding& f : findings) f.severity = settings.severity_of(f.code);
  sort_findings(findings);
  return std::move(findings);
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.start != b.start ? a.start < b.start : a.code < b.code;
  });
}

std::vector<TextEdit> add_noqa_edits(const SourceFile& file, const std::vector<Finding>& findings,
                                     const Settings& settings) {
  const FileFacts facts = collect_facts(file);
  return noqa_edits(FixContext{file, facts, settings}, findings);
}

namespace {

bool overlaps(const TextEdit& edit, uint32_t start, uint32_t end) {
  if (edit.start == edit.end && start == end) return edit.start == start;  // two insertions at one point
  if (edit.start == edit.end) return start < edit.start && edit.start < end;
  if (start == end) return edit.start < start && start < edit.end;
  return edit.start < end && start < edit.end;
}

}  // namespace

int apply_fixes(std::string& text, const std::vector<const Fix*>& fixes) {
  std::vector<TextEdit> accepted;
  std::vector<std::pair<uint32_t, uint32_t>> regions;
  int applied = 0;
  for (const Fix* fix : fixes) {
    std::vector<TextEdit> fresh;
    bool conflict = false;
    for (const TextEdit& edit : fix->edits) {
      if (std::find(accepted.begin(), accepted.end(), edit) != accepted.end()) continue;  // a shared import
      for (const TextEdit& other : accepted) conflict = conflict || overlaps(edit, other.start, other.end);
      for (const auto& [start, end] : regions) conflict = conflict || overlaps(edit, start, end);
      fresh.push_back(edit);
    }
    if (conflict) continue;
    accepted.insert(accepted.end(), fresh.begin(), fresh.end());
    if (fix->region_end > fix->region_start) regions.emplace_back(fix->region_start, fix->region_end);
    ++applied;
  }
  // Back to front, so offsets stay valid; insertions at one point keep the order they were made in.
  std::stable_sort(accepted.begin(), accepted.end(),
                   [](const TextEdit& a, const TextEdit& b) { return a.start < b.start; });
  for (auto it = accepted.rbegin(); it != accepted.rend(); ++it)
    text.replace(it->start, it->end - it->start, it->new_text);
  return applied;
}

}  // namespace loopsafe
