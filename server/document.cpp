#include "server/document.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "analysis/syntax_pieces.h"
#include "analysis/tree_diff.h"

namespace loopsafe::server {
namespace {

// About 50 lines of typical code. Measured with bench/keystroke on its 10,000-line file (2 KiB against
// 8 KiB): a piece's incremental reparse p50 0.3 ms against 0.7, p99 2.2 ms against 4.4 (a join
// parses a few small pieces from scratch); opening the file costs the same (125 pieces, 45 ms).
constexpr uint32_t kPieceBytes = 2048;

}  // namespace

Document::Document(std::string text) : text_(std::move(text)), lines_(std::make_unique<LineIndex>(text_)) {}

void Document::edit(uint32_t start, uint32_t end, std::string_view new_text) {
  const auto size = static_cast<uint32_t>(text_.size());
  start = std::min(start, size);
  end = std::clamp(end, start, size);
  // The parser reads a lone "\r" as "\n": a "\r" just before the edit may change meaning with it, so the
  // edit as tree-sitter sees it includes that byte.
  uint32_t edit_start = start;
  if (edit_start > 0 && text_[edit_start - 1] == '\r') --edit_start;
  const TSPoint start_point = tree_sitter_point(*lines_, edit_start);
  const TSPoint old_end_point = tree_sitter_point(*lines_, end);
  const auto new_end = start + static_cast<uint32_t>(new_text.size());
  text_.replace(start, end - start, new_text);
  lines_ = std::make_unique<LineIndex>(*lines_, text_, start, end, new_end);
  parsed_.reset();
  edits_.push_back({start, end, new_end});
  // A document that is never analysed (disabled, too large) would keep every edit forever.
  if (edits_.size() > 10000) {
    edits_.clear();
    edits_complete_ = false;
  }
  if (pieces_.empty()) return;
  const TSInputEdit ts_edit{edit_start,  end,           new_end,
                            start_point, old_end_point, tree_sitter_point(*lines_, new_end)};
  edit_pieces(pieces_, ts_edit, text_);
}

void Document::replace_all(std::string text) {
  text_ = std::move(text);
  lines_ = std::make_unique<LineIndex>(text_);
  pieces_.clear();
  parsed_.reset();
  edits_complete_ = false;
}

Document::Snapshot Document::snapshot() const {
  std::optional<std::vector<SourceEdit>> edits;
  if (edits_complete_) edits = edits_;
  if (parsed_) return {{}, {}, parsed_, std::move(edits), {}};
  return {text_, copy_pieces(pieces_), nullptr, std::move(edits), *lines_};
}

uint32_t Document::piece_bytes() {
  static const uint32_t bytes = [] {
    const char* value = std::getenv("LOOPSAFE_PIECE_BYTES");
    return value ? static_cast<uint32_t>(std::strtoul(value, nullptr, 10)) : kPieceBytes;
  }();
  return bytes;
}

std::shared_ptr<const SourceFile> Document::parse(Snapshot snapshot, bool verify, const ParseLimits& limits) {
  if (snapshot.parsed) return snapshot.parsed;
  const bool incremental = !snapshot.edited_pieces.empty();
  auto parsed = SourceFile::parse_within(std::move(snapshot.text), std::move(snapshot.edited_pieces), limits,
                                         piece_bytes(), snapshot.lines ? &*snapshot.lines : nullptr);
  // A single piece parsed from scratch is a fresh parse already.
  if (parsed && verify && (incremental || parsed->pieces().size() > 1)) {
    const SourceFile fresh{std::string(parsed->text())};
    if (const std::string difference = first_tree_difference(*parsed, fresh); !difference.empty()) {
      // Error recovery may legitimately differ between an incremental or piecewise parse and a fresh one.
      if (!fresh.has_syntax_error()) {
        spdlog::critical("incremental parse differs from a fresh parse of the same text ({} bytes): {}",
                         parsed->text().size(), difference);
        std::abort();
      }
      spdlog::debug("incremental parse of broken code differs from a fresh parse (error recovery)");
    }
  }
  return parsed;
}

Document::Replaced Document::adopt(std::shared_ptr<const SourceFile> parsed) {
  if (parsed_ == parsed) return {};
  Replaced replaced{std::exchange(pieces_, copy_pieces(parsed->pieces())),
                    std::exchange(parsed_, std::move(parsed))};
  edits_.clear();
  edits_complete_ = true;
  return replaced;
}

std::shared_ptr<const SourceFile> Document::parse_now(bool verify) {
  auto parsed = parse(snapshot(), verify);
  adopt(parsed);
  return parsed;
}

}  // namespace loopsafe::server
