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
  const Resolver resolver(file, facts);
  RuleContext ctx{file, facts, resolver, settings, FixContext{file, facts, settings}, {}, {}};
  for (Rule rule : all_rules()) rule(ctx);

  std::vector<Finding>& findings = ctx.findings;
  std::erase_if(findings, [&](const Finding& f) {
    return !settings.enabled(f.code) || settings.ignored_for_path(f.code, relative_path);
  });
  apply_noqa(file, facts, findings);
  for (Finding& f : findings) f.severity = settings.severity_of(f.code);
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.start != b.start ? a.start < b.start : a.code < b.code;
  });
  result.findings = std::move(findings);
  return result;
}

std::vector<TextEdit> add_noqa_edits(const SourceFile& file, const std::vector<Finding>& findings,
                                     const Settings& settings) {
  const FileFacts facts = collect_facts(file);
  return noqa_edits(FixContext{file, facts, settings}, findings);
}

int apply_fixes(std::string& text, const std::vector<const Fix*>& fixes) {
  std::vector<TextEdit> accepted;
  int applied = 0;
  for (const Fix* fix : fixes) {
    std::vector<TextEdit> fresh;
    bool conflict = false;
    for (const TextEdit& edit : fix->edits) {
      if (std::find(accepted.begin(), accepted.end(), edit) != accepted.end()) continue;  // shared import
      for (const TextEdit& other : accepted) {
        const bool overlaps = edit.start < other.end && other.start < edit.end;
        const bool same_point =
            edit.start == edit.end && other.start == other.end && edit.start == other.start;
        const bool touches_replacement =
            (edit.start == edit.end && other.start < edit.start && edit.start < other.end) ||
            (other.start == other.end && edit.start < other.start && other.start < edit.end);
        if (overlaps || same_point || touches_replacement) conflict = true;
      }
      fresh.push_back(edit);
    }
    if (conflict) continue;
    accepted.insert(accepted.end(), fresh.begin(), fresh.end());
    ++applied;
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const TextEdit& a, const TextEdit& b) { return a.start > b.start; });
  for (const TextEdit& edit : accepted) text.replace(edit.start, edit.end - edit.start, edit.new_text);
  return applied;
}

}  // namespace loopsafe
