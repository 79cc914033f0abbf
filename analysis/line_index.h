#pragma once
// Maps byte offsets to lines the way Python and LSP count them: a line ends at "\n", "\r\n" or a
// lone "\r". This is the one place where offsets become (line, column) pairs for the outside world.
#include <cstdint>
#include <string_view>
#include <vector>

namespace loopsafe {

struct LineColumn {
  uint32_t line = 0;    // 0-based
  uint32_t column = 0;  // 0-based, unit depends on the query
};

enum class ColumnUnit { Byte, CodePoint, Utf16 };

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // The index of `text`, which is the text `before` indexed with the bytes [start, old_end) replaced
  // by new_end - start bytes: only the lines around the edit are scanned again (a keystroke in a large
  // file), the others move.
  LineIndex(const LineIndex& before, std::string_view text, uint32_t start, uint32_t old_end,
            uint32_t new_end);
  // A copy for another string holding the same text.
  LineIndex(const LineIndex& same, std::string_view text) : text_(text), starts_(same.starts_) {}

  LineColumn position(uint32_t offset, ColumnUnit unit = ColumnUnit::Byte) const;
  // Inverse of position(): clamps a column past the line end to the end of the line (before its
  // terminator) and a line past the end to the end of the text.
  uint32_t offset(LineColumn pos, ColumnUnit unit = ColumnUnit::Byte) const;

  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  uint32_t line_start(uint32_t line) const { return starts_[line]; }
  // End of the line's content, before its terminator.
  uint32_t line_end(uint32_t line) const;
  std::string_view line_text(uint32_t line) const;

 private:
  // Appends the starts of the lines that begin after a break in text_[from, to).
  void scan(uint32_t from, uint32_t to);

  std::string_view text_;
  std::vector<uint32_t> starts_;
};

// Width of the UTF-8 sequence starting at `i`, or 1 for a byte that does not start a valid sequence:
// invalid bytes count as one code point each, so positions stay stable on broken input.
uint32_t utf8_sequence_length(std::string_view text, uint32_t i);

}  // namespace loopsafe
