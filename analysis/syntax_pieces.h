#pragma once
// A document kept as consecutive pieces of whole lines, each with its own tree, so that an edit
// reparses one piece instead of everything after it.
//
// Why: tree-sitter reuses an old subtree only when the external scanner's state before it is the same
// as in the old parse. After some error recoveries (a typo in a keyword, "try:" -> "try:x"), the Python
// grammar's scanner keeps a stale indent on its stack until the end of the file. Every subtree after the
// typo then differs in that state, so the reparse lexes the rest of the file again, and so does the
// keystroke that fixes the typo: 60-90 ms near the top of a 10,000-line file, for one character.
//
// Why the pieces give the whole file's tree: pieces start at top-level statements (column 0). A piece
// that parses without error ends with every bracket, string and block closed, and a piece whose first
// statement starts at column 0 and parses on its own begins a new statement (an `else:` or `)` cut
// from what it continues does not parse alone). So where every piece parses cleanly and starts at
// column 0, the pieces' statements are exactly those of a parse of the whole file. Pieces are joined
// and parsed again when an error reaches a seam (an unclosed bracket or string, an `else:` cut from
// its `if`) or a piece starts with an indented line (which belongs to the block before). An error
// stays inside its piece otherwise, so broken code may recover differently from a whole parse, as
// tree-sitter's incremental parse of broken code may anyway; valid code never.
#include <tree_sitter/api.h>

#include <cstdint>
#include <string_view>

#include "analysis/line_index.h"
#include "analysis/source_file.h"

namespace loopsafe {

// tree-sitter's point for a byte offset: a row as LineIndex counts lines (the parser sees a lone "\r"
// as "\n") and a column in bytes from the row's start (a BOM is part of row 0).
TSPoint tree_sitter_point(const LineIndex& lines, uint32_t offset);

// Applies one edit of the text to `pieces` (`text` is the text after it): the piece that holds the edit
// gets ts_tree_edit and is marked edited, later pieces move, and an edit across a seam, or one that
// leaves a seam in the middle of a line, joins the pieces around it (parsed again from scratch).
void edit_pieces(SyntaxPieces& pieces, const TSInputEdit& edit, std::string_view text);

// Parses the pieces that are new or edited (incrementally, with their edited trees), joins pieces whose
// seam an error touches, and, with `piece_bytes` > 0, splits each newly parsed piece of more than twice
// that size that has no syntax error at its top-level statements into pieces of about `piece_bytes`.
// False when `limits` stopped a parse.
bool parse_pieces(std::string_view text, const LineIndex& lines, SyntaxPieces& pieces,
                  const ParseLimits& limits, uint32_t piece_bytes);

}  // namespace loopsafe
