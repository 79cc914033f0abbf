#pragma once
// The one place where LSP positions become byte offsets and back. Analysis speaks byte offsets; the
// client speaks (line, character) in the encoding negotiated at initialize: UTF-16 code units by
// default, UTF-8 bytes when the client offers them. Positions outside the text are clamped, never
// trusted: a past-the-end character means the line's end, a past-the-end line the end of the text.
#include <cstdint>

#include "analysis/line_index.h"
#include "server/protocol.h"

namespace loopsafe::server {

enum class PositionEncoding { Utf8, Utf16 };

// Picks from `general.positionEncodings`: "utf-8" when offered, else the mandatory "utf-16".
PositionEncoding negotiate_encoding(const json& offered);
const char* encoding_name(PositionEncoding encoding);

// Throws InvalidParams unless `position` is {"line": number, "character": number}.
void check_position(const json& position);
// Throws InvalidParams unless `range` is {"start": position, "end": position}.
void check_range(const json& range);

uint32_t to_offset(const LineIndex& lines, const json& position, PositionEncoding encoding);
LineColumn lsp_position(const LineIndex& lines, uint32_t offset, PositionEncoding encoding);
json to_position(const LineIndex& lines, uint32_t offset, PositionEncoding encoding);
json to_range(const LineIndex& lines, uint32_t start, uint32_t end, PositionEncoding encoding);

struct ByteRange {
  uint32_t start = 0;
  uint32_t end = 0;
};
// A range whose end lies before its start is read as the empty range at its start.
ByteRange to_byte_range(const LineIndex& lines, const json& range, PositionEncoding encoding);

}  // namespace loopsafe::server
