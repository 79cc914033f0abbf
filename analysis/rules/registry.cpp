#include "analysis/rules/rule.h"
#include "analysis/syntax.h"

namespace loopsafe {

const std::vector<Rule>& all_rules() {
  // Order matters once: LS304 reads the findings of the blocking-call rules.
  static const std::vector<Rule> rules = {check_blocking_calls, check_django_orm, check_unawaited_coroutines,
                                          check_dropped_tasks, check_async_routes};
  return rules;
}

void RuleContext::report(std::string code, TSNode node, std::string message,
                         std::vector<std::optional<Fix>> fixes, int function) {
  Finding finding;
  finding.code = std::move(code);
  finding.start = ts_node_start_byte(node);
  finding.end = ts_node_end_byte(node);
  finding.message = std::move(message);
  for (auto& fix : fixes)
    if (fix) finding.fixes.push_back(std::move(*fix));
  if (auto noqa = noqa_fix(fix_context, finding.code, finding.start))
    finding.fixes.push_back(std::move(*noqa));
  findings.push_back(std::move(finding));
  finding_function.push_back(function);
}

std::string RuleContext::quoted(TSNode node) const {
  std::string text(file.text_of(node));
  // Multi-line receivers read badly in a one-line message.
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return "`" + text + "`";
}

std::string RuleContext::quoted_call(TSNode function) const {
  std::string text = quoted(function);
  text.insert(text.size() - 1, "()");
  return text;
}

}  // namespace loopsafe
