#include "analysis/line_index.h"

#include <algorithm>

namespace loopsafe {

uint32_t utf8_sequence_length(std::string_view text, uint32_t i) {
  const auto byte = [&](uint32_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  uint32_t len = 1;
  if (b >= 0xC2 && b <= 0xDF)
    len = 2;
  else if (b >= 0xE0 && b <= 0xEF)
    len = 3;
  else if (b >= 0xF0 && b <= 0xF4)
    len = 4;
  if (len == 1 || i + len > text.size()) return 1;
  for (uint32_t k = 1; k < len; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 1;
  return len;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  // A UTF-8 byte order mark is not part of the first line: editors and Python both drop it.
  starts_.push_back(text.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  scan(0, static_cast<uint32_t>(text.size()));
}

void LineIndex::scan(uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; ++i) {
    if (text_[i] == '\n') {
      starts_.push_back(i + 1);
    } else if (text_[i] == '\r') {
      if (i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

LineIndex::LineIndex(const LineIndex& before, std::string_view text, uint32_t start, uint32_t old_end,
                     uint32_t new_end)
    : text_(text) {
  const auto& old = before.starts_;
  if (start < 3 || old.front() > start - 1) {  // a byte order mark may come or go
    *this = LineIndex(text);
    return;
  }
  // A line start depends on the break before it and, after a "\r", on the byte after that. The lines
  // up to the one holding the byte before the edit keep their starts; breaks from there to one byte
  // past the edit are scanned again; starts after breaks further on move with the edit (their break
  // and the byte after it are unchanged).
  starts_.assign(old.begin(), std::upper_bound(old.begin(), old.end(), start - 1));
  scan(starts_.back(), std::min(static_cast<uint32_t>(text.size()), new_end + 1));
  const int64_t delta = int64_t{new_end} - int64_t{old_end};
  for (auto it = std::lower_bound(old.begin(), old.end(), old_end + 2); it != old.end(); ++it) {
    const auto moved = static_cast<uint32_t>(*it + delta);
    if (moved > starts_.back()) starts_.push_back(moved);  // a "\r\n" at the edge was scanned already
  }
}

uint32_t LineIndex::line_end(uint32_t line) const {
  uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] : static_cast<uint32_t>(text_.size());
  while (end > starts_[line] && (text_[end - 1] == '\n' || text_[end - 1] == '\r') &&
         line + 1 < starts_.size())
    --end;
  return end;
}

std::string_view LineIndex::line_text(uint32_t line) const {
  return text_.substr(starts_[line], line_end(line) - starts_[line]);
}

LineColumn LineIndex::position(uint32_t offset, ColumnUnit unit) const {
  offset = std::clamp<uint32_t>(offset, starts_[0], static_cast<uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - starts_.begin() - 1);
  const uint32_t start = starts_[line];
  if (unit == ColumnUnit::Byte) return {line, offset - start};
  uint32_t column = 0;
  for (uint32_t i = start; i < offset;) {
    const uint32_t len = utf8_sequence_length(text_, i);
    column += (unit == ColumnUnit::Utf16 && len == 4) ? 2 : 1;
    i += len;
  }
  return {line, column};
}

uint32_t LineIndex::offset(LineColumn pos, ColumnUnit unit) const {
  if (pos.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  const uint32_t start = starts_[pos.line];
  const uint32_t end = line_end(pos.line);
  if (unit == ColumnUnit::Byte) return std::min(start + pos.column, end);
  uint32_t i = start;
  for (uint32_t column = 0; i < end && column < pos.column;) {
    const uint32_t len = utf8_sequence_length(text_, i);
    column += (unit == ColumnUnit::Utf16 && len == 4) ? 2 : 1;
    i += len;
  }
  return std::min(i, end);
}

}  // namespace loopsafe
