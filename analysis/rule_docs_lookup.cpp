#include "analysis/rule_docs.h"

namespace loopsafe {

std::string_view rule_doc(std::string_view code) {
  for (const RuleDoc& doc : rule_docs())
    if (doc.code == code) return doc.markdown;
  return {};
}

std::string_view rule_name(std::string_view code) {
  const std::string_view page = rule_doc(code);
  const auto colon = page.find(": ");
  const auto eol = page.find('\n');
  if (colon == std::string_view::npos || eol == std::string_view::npos || colon > eol) return {};
  return page.substr(colon + 2, eol - colon - 2);
}

std::string_view rule_summary(std::string_view code) {
  const std::string_view page = rule_doc(code);
  const auto start = page.find("\n\n");
  if (start == std::string_view::npos) return {};
  const auto end = page.find("\n\n", start + 2);
  return page.substr(start + 2, (end == std::string_view::npos ? page.size() : end) - start - 2);
}

}  // namespace loopsafe
