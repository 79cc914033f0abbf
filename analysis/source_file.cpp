#include "analysis/source_file.h"

#include "analysis/syntax.h"
#include "analysis/syntax_pieces.h"

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

bool lone_cr_at(std::string_view text, size_t i) {
  return text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n');
}

TreePtr parse_with(std::string_view text, const TSRange* range, const TSTree* old_tree,
                   const ParseLimits& limits) {
  TSParser* parser = thread_parser();
  ts_parser_reset(parser);  // a parse given up earlier would otherwise be resumed
  ts_parser_set_timeout_micros(parser, limits.timeout_micros);
  // tree-sitter reads the flag as a plain size_t with an atomic load; std::atomic<size_t> is laid out
  // as one.
  static_assert(sizeof(std::atomic<size_t>) == sizeof(size_t));
  ts_parser_set_cancellation_flag(parser, reinterpret_cast<const size_t*>(limits.cancel));
  if (range) ts_parser_set_included_ranges(parser, range, 1);
  TreePtr tree(ts_parser_parse_string(parser, old_tree, text.data(), static_cast<uint32_t>(text.size())));
  if (range) ts_parser_set_included_ranges(parser, nullptr, 0);
  ts_parser_set_cancellation_flag(parser, nullptr);
  ts_parser_set_timeout_micros(parser, 0);
  return tree;
}

}  // namespace

SyntaxPieces copy_pieces(const SyntaxPieces& pieces) {
  SyntaxPieces copy;
  copy.reserve(pieces.size());
  for (const SyntaxPiece& p : pieces)
    copy.push_back({p.start, p.end, TreePtr(p.tree ? ts_tree_copy(p.tree.get()) : nullptr), p.edited});
  return copy;
}

std::string python_parser_text(std::string_view text) {
  std::string normalized;
  // Searched, not scanned byte by byte: this runs on every keystroke's parse, and most files hold no `\r`.
  for (size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1))
    if (lone_cr_at(text, i)) {
      if (normalized.empty()) normalized.assign(text);
      normalized[i] = '\n';
    }
  return normalized;
}

TreePtr parse_python(std::string_view text, const TSTree* old_tree, const ParseLimits& limits) {
  const std::string normalized = python_parser_text(text);
  return parse_with(normalized.empty() ? text : normalized, nullptr, old_tree, limits);
}

TreePtr parse_python_range(std::string_view text, const TSRange& range, const TSTree* old_tree,
                           const ParseLimits& limits) {
  return parse_with(text, &range, old_tree, limits);
}

SourceFile::SourceFile(std::string text) : text_(std::move(text)), lines_(text_) {
  pieces_.push_back({0, static_cast<uint32_t>(text_.size()), parse_python(text_), false});
}

SourceFile::SourceFile(std::string text, TextOnly) : text_(std::move(text)), lines_(text_) {}

SourceFile::SourceFile(std::string text, TextOnly, const LineIndex& lines)
    : text_(std::move(text)), lines_(lines, text_) {}

std::shared_ptr<const SourceFile> SourceFile::parse_within(std::string text, SyntaxPieces pieces,
                                                           const ParseLimits& limits, uint32_t piece_bytes,
                                                           const LineIndex* lines) {
  auto file = lines ? std::make_shared<SourceFile>(std::move(text), TextOnly{}, *lines)
                    : std::make_shared<SourceFile>(std::move(text), TextOnly{});
  if (pieces.empty()) pieces.push_back({0, static_cast<uint32_t>(file->text_.size()), nullptr, false});
  if (!parse_pieces(file->text_, file->lines_, pieces, limits, piece_bytes)) return nullptr;
  file->pieces_ = std::move(pieces);
  return file;
}

bool SourceFile::has_syntax_error() const {
  for (const SyntaxPiece& piece : pieces_)
    if (ts_node_has_error(ts_tree_root_node(piece.tree.get()))) return true;
  return false;
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
