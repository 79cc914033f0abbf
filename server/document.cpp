#include "server/document.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

namespace loopsafe::server {
namespace {

// tree-sitter's point: a row as LineIndex counts lines (the parser sees a lone "\r" as "\n") and a
// column in bytes from the row's start (a BOM is part of row 0 for the parser).
TSPoint point_at(const LineIndex& lines, uint32_t offset) {
  const uint32_t line = lines.position(offset).line;
  return {line, line == 0 ? offset : offset - lines.line_start(line)};
}

std::string sexp(const TSTree* tree) {
  char* text = ts_node_string(ts_tree_root_node(tree));
  std::string copy(text);
  std::free(text);
  return copy;
}

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
  const TSPoint start_point = point_at(*lines_, edit_start);
  const TSPoint old_end_point = point_at(*lines_, end);
  text_.replace(start, end - start, new_text);
  lines_ = std::make_unique<LineIndex>(text_);
  parsed_.reset();
  edits_.push_back({start, end, start + static_cast<uint32_t>(new_text.size())});
  // A document that is never analysed (disabled, too large) would keep every edit forever.
  if (edits_.size() > 10000) {
    edits_.clear();
    edits_complete_ = false;
  }
  if (!tree_) return;
  const auto new_end = start + static_cast<uint32_t>(new_text.size());
  const TSInputEdit ts_edit{edit_start, end, new_end, start_point, old_end_point, point_at(*lines_, new_end)};
  ts_tree_edit(tree_.get(), &ts_edit);
}

void Document::replace_all(std::string text) {
  text_ = std::move(text);
  lines_ = std::make_unique<LineIndex>(text_);
  tree_.reset();
  parsed_.reset();
  edits_complete_ = false;
}

Document::Snapshot Document::snapshot() const {
  std::optional<std::vector<SourceEdit>> edits;
  if (edits_complete_) edits = edits_;
  if (parsed_) return {{}, nullptr, parsed_, std::move(edits)};
  return {text_, TreePtr(tree_ ? ts_tree_copy(tree_.get()) : nullptr), nullptr, std::move(edits)};
}

std::shared_ptr<const SourceFile> Document::parse(Snapshot snapshot, bool verify, const ParseLimits& limits) {
  if (snapshot.parsed) return snapshot.parsed;
  const bool incremental = snapshot.edited_tree != nullptr;
  auto parsed = SourceFile::parse_within(std::move(snapshot.text), snapshot.edited_tree.get(), limits);
  if (parsed && verify && incremental) {
    const TreePtr fresh = parse_python(parsed->text());
    const std::string expected = sexp(fresh.get());
    if (sexp(parsed->tree()) != expected) {
      // Error recovery may legitimately differ between an incremental and a fresh parse.
      if (!ts_node_has_error(ts_tree_root_node(fresh.get()))) {
        spdlog::critical("incremental parse differs from a fresh parse of the same text ({} bytes)",
                         parsed->text().size());
        std::abort();
      }
      spdlog::debug("incremental parse of broken code differs from a fresh parse (error recovery)");
    }
  }
  return parsed;
}

void Document::adopt(std::shared_ptr<const SourceFile> parsed) {
  if (parsed_ == parsed) return;
  tree_ = parsed->copy_tree();
  parsed_ = std::move(parsed);
  edits_.clear();
  edits_complete_ = true;
}

std::shared_ptr<const SourceFile> Document::parse_now(bool verify) {
  auto parsed = parse(snapshot(), verify);
  adopt(parsed);
  return parsed;
}

}  // namespace loopsafe::server
