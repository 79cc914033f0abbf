#include "analysis/source_file.h"

#include "analysis/syntax.h"

namespace loopsafe {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

TSParser* thread_parser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    ts_parser_set_language(p.get(), tree_sitter_python());
    return p;
  }();
  return parser.get();
}

bool has_lone_cr(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return true;
  return false;
}

}  // namespace

TreePtr parse_python(std::string_view text, const TSTree* old_tree) {
  std::string normalized;
  if (has_lone_cr(text)) {
    normalized.assign(text);
    for (size_t i = 0; i < normalized.size(); ++i)
      if (normalized[i] == '\r' && (i + 1 == normalized.size() || normalized[i + 1] != '\n'))
        normalized[i] = '\n';
    text = normalized;
  }
  TSParser* parser = thread_parser();
  ts_parser_reset(parser);
  return TreePtr(ts_parser_parse_string(parser, old_tree, text.data(), static_cast<uint32_t>(text.size())));
}

SourceFile::SourceFile(std::string text)
    : text_(std::move(text)), lines_(text_), tree_(parse_python(text_)) {}

SourceFile::SourceFile(std::string text, const TSTree* edited_old_tree)
    : text_(std::move(text)), lines_(text_), tree_(parse_python(text_, edited_old_tree)) {}

SourceFile::SourceFile(std::string text, TextOnly) : text_(std::move(text)), lines_(text_) {}

std::string_view SourceFile::text_of(TSNode node) const {
  return node_text(node, text_);
}

std::string_view SourceFile::line_ending() const {
  const auto newline = text_.find_first_of("\r\n");
  if (newline != std::string::npos && text_[newline] == '\r' && newline + 1 < text_.size() &&
      text_[newline + 1] == '\n')
    return "\r\n";
  if (newline != std::string::npos && text_[newline] == '\r') return "\r";
  return "\n";
}

}  // namespace loopsafe
