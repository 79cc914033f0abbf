#pragma once
// The rule pages of docs/rules, embedded at build time (cmake/EmbedRuleDocs.cmake).
#include <string_view>
#include <vector>

namespace loopsafe {

struct RuleDoc {
  std::string_view code;
  std::string_view markdown;
};

const std::vector<RuleDoc>& rule_docs();
// The page of `code`, or empty.
std::string_view rule_doc(std::string_view code);
// The rule's short name from the page's first line ("# ASYNC251: blocking-sleep" -> "blocking-sleep").
std::string_view rule_name(std::string_view code);
// The one-sentence summary that follows the title.
std::string_view rule_summary(std::string_view code);

}  // namespace loopsafe
