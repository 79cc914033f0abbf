#include "analysis/line_index.h"

#include <doctest/doctest.h>

#include <string>

using loopsafe::ColumnUnit;
using loopsafe::LineIndex;

TEST_CASE("lines end at LF, CRLF and a lone CR, as in Python and LSP") {
  const LineIndex index("a\nb\r\nc\rd");
  CHECK(index.line_count() == 4);
  CHECK(index.position(2).line == 1);  // "b"
  CHECK(index.position(5).line == 2);  // "c"
  CHECK(index.position(7).line == 3);  // "d"
  CHECK(index.line_text(1) == "b");
  CHECK(index.line_text(2) == "c");
}

TEST_CASE("columns in code points and UTF-16 units") {
  // "é" is 2 bytes, 1 code point, 1 UTF-16 unit; "😀" is 4 bytes, 1 code point, 2 UTF-16 units.
  const std::string text = "x = \"é😀\"; f()";
  const LineIndex index(text);
  const auto f = static_cast<uint32_t>(text.find("f()"));
  CHECK(index.position(f, ColumnUnit::Byte).column == 14);
  CHECK(index.position(f, ColumnUnit::CodePoint).column == 10);
  CHECK(index.position(f, ColumnUnit::Utf16).column == 11);
  CHECK(index.offset({0, 11}, ColumnUnit::Utf16) == f);
  CHECK(index.offset({0, 10}, ColumnUnit::CodePoint) == f);
}

TEST_CASE("invalid UTF-8 bytes count as one code point each") {
  const std::string text =
      "\xff\xfe"
      "abc";
  const LineIndex index(text);
  CHECK(index.position(4, ColumnUnit::CodePoint).column == 4);
}

TEST_CASE("an offset past the line end clamps to the line end") {
  const LineIndex index("ab\ncd\n");
  CHECK(index.offset({0, 99}) == 2);
  CHECK(index.offset({9, 0}) == 6);
}
