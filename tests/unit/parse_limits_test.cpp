// Parsing within limits: a cancelled or timed-out parse gives no tree, and the thread's parser is
// fit for the next parse (tree-sitter would otherwise resume the abandoned one).
#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "analysis/source_file.h"

namespace loopsafe {
namespace {

std::string large_module() {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "def f" + std::to_string(i) + "(x):\n    return [x, (x + 1) * 2]\n";
  return text;
}

}  // namespace

TEST_CASE("a set cancellation flag stops the parse") {
  std::atomic<size_t> cancel{1};
  CHECK(SourceFile::parse_within(large_module(), {}, ParseLimits{0, &cancel}) == nullptr);
  cancel = 0;
  const auto parsed = SourceFile::parse_within("x = 1\n", {}, ParseLimits{0, &cancel});
  REQUIRE(parsed != nullptr);
  CHECK_FALSE(parsed->has_syntax_error());
}

TEST_CASE("a parse over its time limit is given up, and the next one starts afresh") {
  CHECK(SourceFile::parse_within(large_module(), {}, ParseLimits{1, nullptr}) == nullptr);
  const SourceFile small("async def f():\n    pass\n");
  CHECK_FALSE(small.has_syntax_error());
  CHECK(small.text_of(ts_tree_root_node(small.pieces().front().tree.get())) == "async def f():\n    pass\n");
  const auto unlimited = SourceFile::parse_within(large_module(), {}, ParseLimits{});
  REQUIRE(unlimited != nullptr);
  int statements = 0;
  unlimited->for_each_top_level([&](TSNode) { ++statements; });
  CHECK(statements == 20000);
}

}  // namespace loopsafe
