#include "server/positions.h"

#include <algorithm>
#include <limits>

namespace loopsafe::server {
namespace {

ColumnUnit unit_of(PositionEncoding encoding) {
  return encoding == PositionEncoding::Utf8 ? ColumnUnit::Byte : ColumnUnit::Utf16;
}

// A JSON number as a clamped uint32: negatives become 0, anything huge the largest value.
uint32_t clamped_number(const json& value, const char* key) {
  if (value.is_number_unsigned())
    return static_cast<uint32_t>(
        std::min<uint64_t>(value.get<uint64_t>(), std::numeric_limits<uint32_t>::max()));
  if (value.is_number_integer()) return 0;  // negative
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!(d > 0)) return 0;
    return d >= 4294967295.0 ? std::numeric_limits<uint32_t>::max() : static_cast<uint32_t>(d);
  }
  throw InvalidParams(std::string("position `") + key + "` must be a number");
}

}  // namespace

PositionEncoding negotiate_encoding(const json& offered) {
  if (offered.is_array())
    for (const json& e : offered)
      if (e == "utf-8") return PositionEncoding::Utf8;
  return PositionEncoding::Utf16;
}

const char* encoding_name(PositionEncoding encoding) {
  return encoding == PositionEncoding::Utf8 ? "utf-8" : "utf-16";
}

void check_position(const json& position) {
  for (const char* key : {"line", "character"})
    if (!member(position, key).is_number())
      throw InvalidParams(std::string("position `") + key + "` must be a number");
}

void check_range(const json& range) {
  check_position(member(range, "start"));
  check_position(member(range, "end"));
}

uint32_t to_offset(const LineIndex& lines, const json& position, PositionEncoding encoding) {
  const json& line_value = member(position, "line");
  const json& character_value = member(position, "character");
  const bool negative_line = line_value.is_number_integer() && !line_value.is_number_unsigned();
  const uint32_t line = clamped_number(line_value, "line");
  const uint32_t character = clamped_number(character_value, "character");
  if (negative_line) return lines.line_start(0);
  return lines.offset({line, character}, unit_of(encoding));
}

LineColumn lsp_position(const LineIndex& lines, uint32_t offset, PositionEncoding encoding) {
  return lines.position(offset, unit_of(encoding));
}

json to_position(const LineIndex& lines, uint32_t offset, PositionEncoding encoding) {
  const LineColumn p = lsp_position(lines, offset, encoding);
  return {{"line", p.line}, {"character", p.column}};
}

json to_range(const LineIndex& lines, uint32_t start, uint32_t end, PositionEncoding encoding) {
  return {{"start", to_position(lines, start, encoding)}, {"end", to_position(lines, end, encoding)}};
}

ByteRange to_byte_range(const LineIndex& lines, const json& range, PositionEncoding encoding) {
  const uint32_t start = to_offset(lines, member(range, "start"), encoding);
  const uint32_t end = to_offset(lines, member(range, "end"), encoding);
  return {start, std::max(start, end)};
}

}  // namespace loopsafe::server
