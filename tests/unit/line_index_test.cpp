#include "analysis/line_index.h"

#include <doctest/doctest.h>

#include <random>
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

TEST_CASE("an index updated for an edit equals one built from the new text") {
  // Breaks of every kind made, split and joined at the edges of edits ("\r" + "\n" -> "\r\n").
  std::mt19937 random(5);
  const std::string alphabet = "ab\r\n\n\r\xEF\xBB\xBF";
  std::string text =
      "\xEF\xBB\xBF"
      "first\r\nsecond\rthird\n";
  LineIndex index(text);
  for (int step = 0; step < 5000; ++step) {
    const auto start = static_cast<uint32_t>(random() % (text.size() + 1));
    const auto removed =
        std::min<uint32_t>(static_cast<uint32_t>(random() % 4), static_cast<uint32_t>(text.size()) - start);
    std::string inserted;
    for (uint32_t k = random() % 4; k > 0; --k) inserted += alphabet[random() % alphabet.size()];
    std::string next = text;
    next.replace(start, removed, inserted);
    LineIndex updated(index, next, start, start + removed, start + static_cast<uint32_t>(inserted.size()));
    const LineIndex fresh(next);
    INFO("step " << step << ", edit at " << start);
    REQUIRE(updated.line_count() == fresh.line_count());
    for (uint32_t line = 0; line < fresh.line_count(); ++line)
      REQUIRE(updated.line_start(line) == fresh.line_start(line));
    text = std::move(next);
    index = LineIndex(updated, text);
    if (text.size() > 200) {
      text = "a\r\nb\n";
      index = LineIndex(text);
    }
  }
}
