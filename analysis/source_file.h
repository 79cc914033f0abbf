#pragma once
// One Python file's text and its tree-sitter tree. The text is kept exactly as given (BOM, CRLF,
// invalid UTF-8 and all), so every offset reported is an offset into the user's bytes.
#include <tree_sitter/api.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "analysis/line_index.h"

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

class SourceFile {
 public:
  // Parses `text`. Never fails: tree-sitter recovers from any syntax error or byte sequence.
  explicit SourceFile(std::string text);
  // Parses `text` incrementally: `edited_old_tree` is an earlier tree of the same document, already
  // edited (ts_tree_edit) to match `text`. Unchanged subtrees are reused, so a keystroke costs little.
  SourceFile(std::string text, const TSTree* edited_old_tree);
  // Keeps `text` without parsing it, as release_tree() leaves a file: for reporting results that were
  // computed earlier (a cache), where a parse would cost more than everything else.
  struct TextOnly {};
  SourceFile(std::string text, TextOnly);
  // Parses like the constructors above (`edited_old_tree` may be null) within `limits`; null when the
  // parse was given up.
  static std::shared_ptr<const SourceFile> parse_within(std::string text, const TSTree* edited_old_tree,
                                                        const ParseLimits& limits);
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  std::string_view text() const { return text_; }
  const LineIndex& lines() const { return lines_; }
  TSNode root() const { return ts_tree_root_node(tree_.get()); }
  const TSTree* tree() const { return tree_.get(); }
  // A copy of the tree that the caller owns and may edit, for the constructor above.
  TreePtr copy_tree() const { return TreePtr(tree_ ? ts_tree_copy(tree_.get()) : nullptr); }
  std::string_view text_of(TSNode node) const;
  // "\r\n" when the file's first line ends that way, else "\n": edits keep the file's convention.
  std::string_view line_ending() const;
  // Frees the tree once analysis is done; text and lines stay usable for reporting.
  void release_tree() { tree_.reset(); }

 private:
  SourceFile(std::string text, TreePtr tree);
  std::string text_;
  LineIndex lines_;
  TreePtr tree_;
};

// Parses `text` with the Python grammar. Python ends a line at a lone "\r" too, while the grammar does
// not: the parser sees those as "\n", which keeps every byte offset unchanged. Null only when `limits`
// stopped it.
TreePtr parse_python(std::string_view text, const TSTree* old_tree = nullptr, const ParseLimits& limits = {});

}  // namespace loopsafe
