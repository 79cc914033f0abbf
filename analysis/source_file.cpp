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

TreePtr parse_python(std::string_view text, const TSTree* old_tree, const ParseLimits& limits) {
  std::string normalized;
  if (has_lone_cr(text)) {
    normalized.assign(text);
    for (size_t i = 0; i < normalized.size(); ++i)
      if (normalized[i] == '\r' && (i + 1 == normalized.size() || normalized[i + 1] != '\n'))
        normalized[i] = '\n';
    text = normalized;
  }
  TSParser* parser = thread_parser();
  ts_parser_reset(parser);  // a parse given up earlier would otherwise be resumed
  ts_parser_set_timeout_micros(parser, limits.timeout_micros);
  // tree-sitter reads the flag as a plain size_t with an atomic load; std::atomic<size_t> is laid out
  // as one.
  static_assert(sizeof(std::atomic<size_t>) == sizeof(size_t));
  ts_parser_set_cancellation_flag(parser, reinterpret_cast<const size_t*>(limits.cancel));
  TreePtr tree(ts_parser_parse_string(parser, old_tree, text.data(), static_cast<uint32_t>(text.size())));
  ts_parser_set_cancellation_flag(parser, nullptr);
  ts_parser_set_timeout_micros(parser, 0);
  return tree;
}

SourceFile::SourceFile(std::string text)
    : text_(std::move(text)), lines_(text_), tree_(parse_python(text_)) {}

SourceFile::SourceFile(std::string text, const TSTree* edited_old_tree)
    : text_(std::move(text)), lines_(text_), tree_(parse_python(text_, edited_old_tree)) {}

SourceFile::SourceFile(std::string text, TextOnly) : text_(std::move(text)), lines_(text_) {}

SourceFile::SourceFile(std::string text, TreePtr tree)
    : text_(std::move(text)), lines_(text_), tree_(std::move(tree)) {}

std::shared_ptr<const SourceFile> SourceFile::parse_within(std::string text, const TSTree* edited_old_tree,
                                                           const ParseLimits& limits) {
  TreePtr tree = parse_python(text, edited_old_tree, limits);
  if (!tree) return nullptr;
  return std::shared_ptr<const SourceFile>(new SourceFile(std::move(text), std::move(tree)));
}

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
