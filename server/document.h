#pragma once
// An open document: its text, a line index for position conversion and its tree-sitter trees, one per
// piece of about kPieceBytes (analysis/syntax_pieces.h). Each incremental change edits the text and the
// piece it falls in (ts_tree_edit) in place; the next parse reparses that piece with its edited tree, so
// a keystroke in a large file reparses only what it touched. Parsing is lazy: a flood of changes costs
// one parse, when analysis next asks for the trees.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/incremental.h"
#include "analysis/line_index.h"
#include "analysis/source_file.h"

namespace loopsafe::server {

class Document {
 public:
  explicit Document(std::string text);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::string& text() const { return text_; }
  const LineIndex& lines() const { return *lines_; }

  // Replaces the bytes [start, end) (clamped to the text) with `new_text`.
  void edit(uint32_t start, uint32_t end, std::string_view new_text);
  void replace_all(std::string text);

  // Bytes per piece: small enough that reparsing one piece from scratch stays within a keystroke's
  // budget, large enough that a file has few pieces. LOOPSAFE_PIECE_BYTES overrides it (tests use small
  // pieces so that small documents have several).
  static uint32_t piece_bytes();

  // What parsing the current text needs, taken on the thread that owns the document and parsed on any
  // other: a copy of the text and of the edited trees (tree-sitter trees are copied in O(1) and may then
  // be used on another thread), or the parse already made for this text.
  struct Snapshot {
    std::string text;
    SyntaxPieces edited_pieces;  // empty: parse from scratch
    std::shared_ptr<const SourceFile> parsed;
    // The edits since the last adopted parse, in order; nullopt after a whole-text replacement.
    std::optional<std::vector<SourceEdit>> edits;
    // The line index of `text`, built as edits came (it views the document's own copy of the text:
    // only for SourceFile::parse_within, which copies it for its own).
    std::optional<LineIndex> lines;
  };
  Snapshot snapshot() const;
  // With `verify`, an incremental parse is compared with a fresh one, and a difference on valid code
  // aborts: it would be a bug in our edits.
  // Null when `limits` stopped the parse.
  static std::shared_ptr<const SourceFile> parse(Snapshot snapshot, bool verify,
                                                 const ParseLimits& limits = {});
  // What adopt() let go of: freeing trees and a text takes a while, so the caller chooses when.
  struct Replaced {
    SyntaxPieces pieces;
    std::shared_ptr<const SourceFile> parsed;
  };
  // Keeps `parsed` (made from a snapshot of the current text) as the base of the next incremental parse.
  Replaced adopt(std::shared_ptr<const SourceFile> parsed);
  // snapshot(), parse() and adopt() at once, on this thread.
  std::shared_ptr<const SourceFile> parse_now(bool verify);

 private:
  std::string text_;
  std::unique_ptr<LineIndex> lines_;          // views text_
  SyntaxPieces pieces_;                       // the last parse, edited since; empty: parse from scratch
  std::shared_ptr<const SourceFile> parsed_;  // null once the text changed
  std::vector<SourceEdit> edits_;             // since parsed_ was adopted, for incremental checks
  bool edits_complete_ = false;               // false: the text was replaced whole since
};

}  // namespace loopsafe::server
