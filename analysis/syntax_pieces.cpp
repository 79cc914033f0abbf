#include "analysis/syntax_pieces.h"

#include <cctype>
#include <string>
#include <vector>

#include "analysis/syntax.h"

namespace loopsafe {
namespace {

bool line_start(std::string_view text, uint32_t offset) {
  if (offset == 0 || offset >= text.size()) return true;
  const char before = text[offset - 1];
  return before == '\n' || (before == '\r' && text[offset] != '\n');
}

std::vector<TSNode> top_level(const SyntaxPiece& piece) {
  std::vector<TSNode> nodes;
  for_each_named_child(ts_tree_root_node(piece.tree.get()),
                       [&](TSNode node, const char*) { nodes.push_back(node); });
  return nodes;
}

// No error reaches the end of `piece`: the statements from its last non-comment one on parse cleanly.
bool clean_end(const SyntaxPiece& piece) {
  const std::vector<TSNode> nodes = top_level(piece);
  for (size_t i = nodes.size(); i-- > 0;) {
    if (ts_node_has_error(nodes[i])) return false;
    if (kind_of(nodes[i]) != NodeKind::Comment) return true;
  }
  return true;
}

// Nothing ties the start of `piece` to the piece before: its first statement, and any comment before
// it, parse cleanly and start at column 0. (An indented line would belong to the block the piece
// before ends with, and parse cleanly on its own too.)
bool clean_start(const SyntaxPiece& piece) {
  bool clean = true, done = false;
  for_each_named_child(ts_tree_root_node(piece.tree.get()), [&](TSNode node, const char*) {
    if (done) return;
    if (ts_node_has_error(node) || ts_node_start_point(node).column != 0) clean = false;
    done = !clean || kind_of(node) != NodeKind::Comment;
  });
  return clean;
}

// A line that may start a top-level statement: at column 0, not a comment or a continuation of the
// statement before (`else:`, a closing bracket, a string's text).
bool statement_line(std::string_view text, uint32_t at) {
  const char c = text[at];
  if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@')) return false;
  for (const std::string_view keyword : {"else", "elif", "except", "finally", "case"})
    if (text.substr(at, keyword.size()) == keyword && at + keyword.size() < text.size() &&
        !std::isalnum(static_cast<unsigned char>(text[at + keyword.size()])) &&
        text[at + keyword.size()] != '_')
      return false;
  return true;
}

// Pieces of about `piece_bytes` over [start, end), cut before statement lines; not parsed yet.
SyntaxPieces cut_at_lines(std::string_view text, uint32_t start, uint32_t end, uint32_t piece_bytes) {
  SyntaxPieces pieces;
  pieces.push_back({start, end, nullptr, false});
  for (uint32_t at = start; at < end;) {
    const size_t line_end = text.find_first_of("\r\n", at);
    if (line_end == std::string_view::npos || line_end + 1 >= end) break;
    at = static_cast<uint32_t>(line_end) + (text.substr(line_end, 2) == "\r\n" ? 2 : 1);
    if (at < end && at - pieces.back().start >= piece_bytes && end - at >= piece_bytes / 2 &&
        statement_line(text, at)) {
      pieces.back().end = at;
      pieces.push_back({at, end, nullptr, false});
    }
  }
  return pieces;
}

void join_with_next(SyntaxPieces& pieces, size_t i) {
  pieces[i].end = pieces[i + 1].end;
  pieces[i].tree.reset();
  pieces[i].edited = false;
  pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i) + 1);
}

class PieceParser {
 public:
  PieceParser(std::string_view text, const LineIndex& lines, const ParseLimits& limits)
      : normalized_(python_parser_text(text)),
        text_(normalized_.empty() ? text : normalized_),
        lines_(lines),
        limits_(limits) {}

  bool parse(SyntaxPiece& piece) const {
    const TSRange range{tree_sitter_point(lines_, piece.start), tree_sitter_point(lines_, piece.end),
                        piece.start, piece.end};
    piece.tree = parse_python_range(text_, range, piece.edited ? piece.tree.get() : nullptr, limits_);
    piece.edited = false;
    return piece.tree != nullptr;
  }

  // Pieces of about `piece_bytes` that start at top-level statements of `piece`, each parsed alone;
  // empty when there is no such split, or when a part does not parse cleanly on its own (then the
  // reasoning in the header does not hold for this code, and the piece stays whole).
  SyntaxPieces split(const SyntaxPiece& piece, uint32_t piece_bytes, bool& stopped) const {
    // A part holding the error would refuse the split after the parts before it were parsed for nothing.
    if (ts_node_has_error(ts_tree_root_node(piece.tree.get()))) return {};
    std::vector<uint32_t> starts{piece.start};
    for (const TSNode node : top_level(piece)) {
      const uint32_t at = ts_node_start_byte(node);
      if (kind_of(node) != NodeKind::Comment && at - starts.back() >= piece_bytes &&
          piece.end - at >= piece_bytes / 2 && line_start(text_, at))
        starts.push_back(at);
    }
    SyntaxPieces parts;
    if (starts.size() < 2) return parts;
    for (size_t i = 0; i < starts.size(); ++i) {
      parts.push_back({starts[i], i + 1 < starts.size() ? starts[i + 1] : piece.end, nullptr, false});
      if (!parse(parts.back())) {
        stopped = true;
        return {};
      }
      if (ts_node_has_error(ts_tree_root_node(parts.back().tree.get()))) return {};
    }
    return parts;
  }

 private:
  std::string normalized_;
  std::string_view text_;
  const LineIndex& lines_;
  const ParseLimits& limits_;
};

}  // namespace

TSPoint tree_sitter_point(const LineIndex& lines, uint32_t offset) {
  const uint32_t line = lines.position(offset).line;
  return {line, line == 0 ? offset : offset - lines.line_start(line)};
}

void edit_pieces(SyntaxPieces& pieces, const TSInputEdit& edit, std::string_view text) {
  if (pieces.empty()) return;
  // The piece that holds the edit's start; an insertion at a seam belongs to the later piece, whose
  // first line it is typed into.
  size_t first = pieces.size() - 1;
  for (size_t i = 0; i < pieces.size(); ++i)
    if (edit.start_byte < pieces[i].end) {
      first = i;
      break;
    }
  size_t last = first;
  while (last + 1 < pieces.size() && pieces[last + 1].start < edit.old_end_byte) ++last;
  const auto moved = [&](uint32_t offset) {
    return static_cast<uint32_t>(static_cast<int64_t>(offset) + edit.new_end_byte - edit.old_end_byte);
  };
  for (size_t i = last + 1; i < pieces.size(); ++i) {
    pieces[i].start = moved(pieces[i].start);
    pieces[i].end = moved(pieces[i].end);
    if (pieces[i].tree) ts_tree_edit(pieces[i].tree.get(), &edit);
  }
  const uint32_t end = moved(pieces[last].end);
  SyntaxPiece& piece = pieces[first];
  if (first == last && piece.tree) {
    ts_tree_edit(piece.tree.get(), &edit);
    piece.edited = true;
  }
  while (last > first) join_with_next(pieces, first), --last;
  piece.end = end;
  if (pieces.size() > 1 && piece.start == piece.end) {
    pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(first));
    if (first == pieces.size()) --first;
  }
  // A seam must stay at a line start: deleting the line break before it, or splitting a "\r\n" at it,
  // joins the pieces on either side.
  for (size_t i = first > 0 ? first - 1 : 0; i + 1 < pieces.size() && i <= first + 1;) {
    if (!line_start(text, pieces[i + 1].start)) {
      join_with_next(pieces, i);
      if (first > i) --first;
    } else {
      ++i;
    }
  }
}

bool parse_pieces(std::string_view text, const LineIndex& lines, SyntaxPieces& pieces,
                  const ParseLimits& limits, uint32_t piece_bytes) {
  const PieceParser parser(text, lines, limits);
  // A large text parsed from scratch is cut where lines start like a statement, without parsing it
  // whole first; a cut that was not a statement's start shows at its seam and is joined below.
  if (piece_bytes > 0 && pieces.size() == 1 && !pieces[0].tree &&
      pieces[0].end - pieces[0].start > 2 * piece_bytes)
    pieces = cut_at_lines(text, pieces[0].start, pieces[0].end, piece_bytes);
  std::vector<bool> parsed(pieces.size(), false);
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].tree && !pieces[i].edited) continue;
    if (!parser.parse(pieces[i])) return false;
    parsed[i] = true;
  }
  // Where an error touches a seam, join and parse again. Forward first: tree-sitter recovers from an
  // error near the end of its input by wrapping everything before it in one ERROR, which the text after
  // the error avoids; then backward, for an error that begins the piece. Forward joins double their
  // reach, so an error that runs to the end of the file (an unclosed string) costs one parse of the
  // rest, not one per piece.
  size_t reach = 1;
  for (size_t i = 0; i < pieces.size();) {
    if (!parsed[i]) {
      ++i;
      continue;
    }
    const bool last = i + 1 == pieces.size();
    if (!last && !(clean_end(pieces[i]) && clean_start(pieces[i + 1]))) {
      for (size_t n = 0; n < reach && i + 1 < pieces.size(); ++n) {
        join_with_next(pieces, i);
        parsed.erase(parsed.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      }
      if (!parser.parse(pieces[i])) return false;
      reach *= 2;
      continue;
    }
    if (i > 0 && !(clean_start(pieces[i]) && clean_end(pieces[i - 1]))) {
      join_with_next(pieces, i - 1);
      parsed.erase(parsed.begin() + static_cast<std::ptrdiff_t>(i));
      --i;
      parsed[i] = true;
      if (!parser.parse(pieces[i])) return false;
      continue;
    }
    reach = 1;
    ++i;
  }
  if (piece_bytes == 0) return true;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (!parsed[i] || pieces[i].end - pieces[i].start <= 2 * piece_bytes) continue;
    bool stopped = false;
    SyntaxPieces parts = parser.split(pieces[i], piece_bytes, stopped);
    if (stopped) return false;
    if (parts.empty()) continue;
    const size_t count = parts.size();
    pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i));
    pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(i), std::make_move_iterator(parts.begin()),
                  std::make_move_iterator(parts.end()));
    parsed.insert(parsed.begin() + static_cast<std::ptrdiff_t>(i), count - 1, false);
    i += count - 1;
  }
  return true;
}

}  // namespace loopsafe
