#include "analysis/suppression.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace loopsafe {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_code_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::optional<Noqa> parse_noqa(std::string_view comment) {
  if (comment.find_first_of("qQ") == std::string_view::npos) return std::nullopt;  // most comments
  const std::string text = lower(comment);
  size_t at = 0;
  for (;;) {
    at = text.find("noqa", at);
    if (at == std::string::npos) return std::nullopt;
    // `# noqa` with only spaces between the hash and the word.
    size_t k = at;
    while (k > 0 && text[k - 1] == ' ') --k;
    if (k > 0 && text[k - 1] == '#') break;
    at += 4;
  }
  Noqa noqa;
  size_t i = at + 4;
  if (i >= text.size() || text[i] != ':') {
    noqa.all = true;
    return noqa;
  }
  ++i;
  while (i < text.size() && text[i] == ' ') ++i;
  noqa.codes_start = static_cast<uint32_t>(i);
  noqa.codes_end = static_cast<uint32_t>(i);
  // Codes look like letters then digits, separated by commas and/or spaces.
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
    const size_t letters_end = j;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (letters_end == i || j == letters_end || (j < text.size() && is_code_char(text[j]))) break;
    std::string code(comment.substr(i, j - i));
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    noqa.codes.push_back(std::move(code));
    noqa.codes_end = static_cast<uint32_t>(j);
    i = j;
    while (i < text.size() && (text[i] == ',' || text[i] == ' ')) ++i;
  }
  if (noqa.codes.empty()) noqa.all = true;  // `# noqa:` with nothing readable after it
  return noqa;
}

bool has_skip_file(const SourceFile& file, const FileFacts& facts) {
  for (const Comment& c : facts.comments) {
    if (c.start >= facts.header_end) break;
    const std::string text = lower(file.text().substr(c.start, c.end - c.start));
    const auto at = text.find("loopsafe:");
    if (at != std::string::npos && text.find("skip-file", at) != std::string::npos) return true;
  }
  return false;
}

NoqaLines::NoqaLines(const SourceFile& file, const FileFacts& facts) : file_(file) {
  for (const Comment& c : facts.comments)
    if (auto noqa = parse_noqa(file.text().substr(c.start, c.end - c.start)))
      by_line_.emplace(file.lines().position(c.start).line, std::move(*noqa));
}

bool NoqaLines::suppresses(std::string_view code, uint32_t offset) const {
  if (by_line_.empty()) return false;
  const auto it = by_line_.find(file_.lines().position(offset).line);
  if (it == by_line_.end()) return false;
  const Noqa& noqa = it->second;
  return noqa.all || std::find(noqa.codes.begin(), noqa.codes.end(), code) != noqa.codes.end();
}

void apply_noqa(const SourceFile& file, const FileFacts& facts, std::vector<Finding>& findings) {
  if (findings.empty()) return;
  const NoqaLines noqa(file, facts);
  if (noqa.empty()) return;
  std::erase_if(findings, [&](const Finding& f) { return noqa.suppresses(f.code, f.start); });
}

}  // namespace loopsafe
