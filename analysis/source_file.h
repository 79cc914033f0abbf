#pragma once
// One Python file's text and its tree-sitter tree. The text is kept exactly as given (BOM, CRLF,
// invalid UTF-8 and all), so every offset reported is an offset into the user's bytes.
#include <tree_sitter/api.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "analysis/line_index.h"
#include "analysis/syntax.h"

namespace loopsafe {

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// Bounds on one parse, so that no input holds a thread for long: tree-sitter gives up after
// `timeout_micros` (0: never) or as soon as `*cancel` becomes non-zero (a newer version arrived).
struct ParseLimits {
  uint64_t timeout_micros = 0;
  const std::atomic<size_t>* cancel = nullptr;
};

// A run of whole lines of a file with a tree-sitter tree of its own (parsed with the run as the
// parser's included range, so the tree's positions are the file's). A file parsed whole is one piece;
// the server keeps a large document as several, so that an edit reparses one (analysis/syntax_pieces.h
// says why and when that gives the whole file's tree).
struct SyntaxPiece {
  uint32_t start = 0;
  uint32_t end = 0;
  TreePtr tree;         // null: to be parsed from scratch
  bool edited = false;  // the bytes changed since `tree` was parsed; `tree` has had ts_tree_edit
};
using SyntaxPieces = std::vector<SyntaxPiece>;
// Copies share the trees' nodes (ts_tree_copy is O(1)); a copy may be edited and parsed on another thread.
SyntaxPieces copy_pieces(const SyntaxPieces& pieces);

class SourceFile {
 public:
  // Parses `text` whole. Never fails: tree-sitter recovers from any syntax error or byte sequence.
  explicit SourceFile(std::string text);
  // Keeps `text` without parsing it, as release_tree() leaves a file: for reporting results that were
  // computed earlier (a cache), where a parse would cost more than everything else.
  struct TextOnly {};
  SourceFile(std::string text, TextOnly);
  // The same, with the line index of this text built already (for another string holding it).
  SourceFile(std::string text, TextOnly, const LineIndex& lines);
  // Parses `text` within `limits`, reusing `pieces`: pieces of an earlier version of the same document,
  // edited to match `text` (edit_pieces), or none to parse from scratch. With `piece_bytes` > 0, large
  // pieces are split at top-level statements into pieces of about that size. Null when the parse was
  // given up.
  // `lines`, when given, is the line index of `text` already built (the server keeps one per document).
  static std::shared_ptr<const SourceFile> parse_within(std::string text, SyntaxPieces pieces,
                                                        const ParseLimits& limits, uint32_t piece_bytes = 0,
                                                        const LineIndex* lines = nullptr);
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  std::string_view text() const { return text_; }
  const LineIndex& lines() const { return lines_; }
  const SyntaxPieces& pieces() const { return pieces_; }
  // Calls f(node) for each top-level node of the file (statements and comments), in order; when f
  // returns a bool, until it returns false.
  template <class F>
  void for_each_top_level(F&& f) const {
    for (const SyntaxPiece& piece : pieces_)
      if (!for_each_named_child(ts_tree_root_node(piece.tree.get()), [&](TSNode node, const char*) {
            if constexpr (std::is_same_v<std::invoke_result_t<F&, TSNode>, bool>)
              return f(node);
            else
              return f(node), true;
          }))
        return;
  }
  bool has_syntax_error() const;
  std::string_view text_of(TSNode node) const;
  // "\r\n" when the file's first line ends that way, else "\n": edits keep the file's convention.
  std::string_view line_ending() const;
  // Frees the trees once analysis is done; text and lines stay usable for reporting.
  void release_tree() { pieces_.clear(); }

 private:
  std::string text_;
  LineIndex lines_;
  SyntaxPieces pieces_;
};

// Parses `text` whole with the Python grammar. Python ends a line at a lone "\r" too, while the grammar
// does not: the parser sees those as "\n", which keeps every byte offset unchanged. Null only when
// `limits` stopped it.
TreePtr parse_python(std::string_view text, const TSTree* old_tree = nullptr, const ParseLimits& limits = {});
// The same for the bytes `range` of `text` only: the tree has the file's positions. `text` must have had
// its lone "\r"s replaced already (python_parser_text).
TreePtr parse_python_range(std::string_view text, const TSRange& range, const TSTree* old_tree,
                           const ParseLimits& limits);
// `text` as the parser must see it: a lone "\r" becomes "\n". Empty when `text` has none (use it as is).
std::string python_parser_text(std::string_view text);

}  // namespace loopsafe
