// A document parsed in pieces, as the server keeps it: the pieces' statements must be a whole parse's
// whenever the code parses cleanly, and an edit must reparse its piece without joining the rest.
#include "analysis/syntax_pieces.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>

#include "analysis/source_file.h"
#include "analysis/tree_diff.h"

namespace loopsafe {
namespace {

constexpr uint32_t kPieceBytes = 200;

std::string service_module(int blocks) {
  std::string text = "import asyncio\nimport time\n\nimport requests\n\n";
  for (int n = 0; n < blocks; ++n) {
    const std::string i = std::to_string(n);
    text += "\n# Block " + i + "\nclass Repo" + i +
            ":\n    def __init__(self):\n        self.cache = {}\n\n"
            "    async def refresh(self):\n        time.sleep(1)\n        await asyncio.sleep(0)\n\n\n"
            "@decorated\nasync def handler_" +
            i +
            "(repo):\n    data = requests.get(\"https://example.com\")\n    while True:\n        try:\n"
            "            await repo.refresh()\n        finally:\n            print(\"\"\"done\n\"\"\")\n"
            "    if data:\n        return data\n    else:\n        return None\n";
  }
  return text;
}

// Applies text[start, end) := inserted to `text` and `pieces`, as the server's Document does.
void edit(std::string& text, SyntaxPieces& pieces, uint32_t start, uint32_t end,
          const std::string& inserted) {
  const LineIndex before(text);
  const TSPoint start_point = tree_sitter_point(before, start),
                old_end_point = tree_sitter_point(before, end);
  text.replace(start, end - start, inserted);
  const LineIndex after(text);
  const auto new_end = start + static_cast<uint32_t>(inserted.size());
  const TSInputEdit e{start, end, new_end, start_point, old_end_point, tree_sitter_point(after, new_end)};
  edit_pieces(pieces, e, text);
}

std::shared_ptr<const SourceFile> parse(const std::string& text, SyntaxPieces pieces) {
  auto file = SourceFile::parse_within(text, std::move(pieces), {}, kPieceBytes);
  REQUIRE(file != nullptr);
  return file;
}

// The pieces cover the text, in order, and each seam is at a line start.
void check_layout(const SourceFile& file) {
  const SyntaxPieces& pieces = file.pieces();
  REQUIRE_FALSE(pieces.empty());
  CHECK(pieces.front().start == 0);
  CHECK(pieces.back().end == file.text().size());
  for (size_t i = 0; i + 1 < pieces.size(); ++i) {
    CHECK(pieces[i].end == pieces[i + 1].start);
    CHECK((file.text()[pieces[i].end - 1] == '\n' || file.text()[pieces[i].end - 1] == '\r'));
  }
}

}  // namespace

TEST_CASE("a large file is cut into pieces at statement lines, and its statements are a whole parse's") {
  const std::string text = service_module(12);
  const auto file = parse(text, {});
  check_layout(*file);
  CHECK(file->pieces().size() >= text.size() / kPieceBytes / 2);
  const SourceFile whole(text);
  CHECK(first_tree_difference(*file, whole).empty());
  // Without a piece size, one piece: what the CLI parses.
  CHECK(SourceFile::parse_within(text, {}, {})->pieces().size() == 1);
}

TEST_CASE("lines at column 0 inside strings, brackets and if/else are never seams") {
  std::string text = "\"\"\"Module docstring.\n";
  for (int i = 0; i < 40; ++i)
    text += "Line " + std::to_string(i) + " of the docstring, at column 0 like a statement.\n";
  text += "\"\"\"\nitems = [\n";
  for (int i = 0; i < 40; ++i) text += "value_" + std::to_string(i) + ",\n";
  text += "]\nif items:\n    x = 1\n";
  for (int i = 0; i < 40; ++i) text += "    x += " + std::to_string(i) + "\n";
  text += "else:\n    x = 2\n";
  const SourceFile whole(text);
  REQUIRE_FALSE(whole.has_syntax_error());
  for (const uint32_t bytes : {16u, 64u, 200u}) {
    const auto file = SourceFile::parse_within(text, {}, {}, bytes);
    check_layout(*file);
    CHECK(first_tree_difference(*file, whole).empty());
  }
}

TEST_CASE("a typo in a function keeps the error in its own piece and its neighbour") {
  std::string text = service_module(12);
  auto file = parse(text, {});
  const size_t count = file->pieces().size();
  // "while" -> "whilxe" in the sixth handler: tree-sitter alone would relex the rest of the file.
  size_t at = 0;
  for (int i = 0; i < 6; ++i) at = text.find("    while True:", at + 1);
  SyntaxPieces pieces = copy_pieces(file->pieces());
  edit(text, pieces, static_cast<uint32_t>(at + 8), static_cast<uint32_t>(at + 8), "x");
  file = parse(text, std::move(pieces));
  check_layout(*file);
  CHECK(file->has_syntax_error());
  CHECK(file->pieces().size() + 2 >= count);
  // Fixing it gives the whole parse again.
  pieces = copy_pieces(file->pieces());
  edit(text, pieces, static_cast<uint32_t>(at + 8), static_cast<uint32_t>(at + 9), "");
  file = parse(text, std::move(pieces));
  check_layout(*file);
  CHECK(first_tree_difference(*file, SourceFile(text)).empty());
}

TEST_CASE("an unbalanced string is an error where it starts, and later handlers keep their statements") {
  std::string text = service_module(12);
  auto file = parse(text, {});
  SyntaxPieces pieces = copy_pieces(file->pieces());
  // One more `"""` near the top: read whole, every string of the file after it is shifted by one quote
  // and the last runs to the end, so a whole parse wraps the file in one ERROR. The pieces join until
  // their quotes balance, so the imports before it and the handlers after it still parse.
  const auto at = static_cast<uint32_t>(text.find("import requests"));
  edit(text, pieces, at, at, "x = \"\"\"\n");
  file = parse(text, std::move(pieces));
  check_layout(*file);
  CHECK(file->has_syntax_error());
  int imports = 0, handlers = 0;
  file->for_each_top_level([&](TSNode node) {
    imports += std::string(ts_node_type(node)) == "import_statement";
    handlers += std::string(ts_node_type(node)) == "decorated_definition" && !ts_node_has_error(node);
  });
  CHECK(imports == 2);
  CHECK(handlers >= 10);
}

TEST_CASE("indenting the first line of a piece joins it to the block before") {
  std::string text = service_module(12);
  auto file = parse(text, {});
  REQUIRE(file->pieces().size() > 3);
  const uint32_t seam = file->pieces()[2].start;
  SyntaxPieces pieces = copy_pieces(file->pieces());
  // Now a nested def (or statement) of the piece before's last block: clean code either way.
  edit(text, pieces, seam, seam, "    ");
  file = parse(text, std::move(pieces));
  check_layout(*file);
  const SourceFile whole(text);
  REQUIRE_FALSE(whole.has_syntax_error());
  CHECK(first_tree_difference(*file, whole).empty());
}

TEST_CASE("comments at a seam are where a whole parse puts them") {
  std::string text;
  for (int i = 0; i < 30; ++i) {
    const std::string n = std::to_string(i);
    text += "def f" + n + "():\n    x = " + n + "\n        # deeper\n    # same\n# left\n\n  # between\n";
  }
  const auto file = parse(text, {});
  REQUIRE(file->pieces().size() > 2);
  CHECK(first_tree_difference(*file, SourceFile(text)).empty());
}

TEST_CASE("random typing: wherever the code parses cleanly, the pieces give a whole parse") {
  const std::string start = service_module(8);
  std::mt19937 random(7);
  const std::string alphabet = "abx_0 ().:=\n\n    #'\"\\\r";
  std::string text = start;
  auto file = parse(text, {});
  int clean = 0;
  for (int step = 0; step < 3000; ++step) {
    SyntaxPieces pieces = copy_pieces(file->pieces());
    // A quarter of the edits at a seam or next to one, where pieces meet.
    auto at = static_cast<uint32_t>(random() % (text.size() + 1));
    if (random() % 4 == 0) {
      const uint32_t seam = file->pieces()[random() % file->pieces().size()].start;
      at = std::min(static_cast<uint32_t>(text.size()),
                    seam + static_cast<uint32_t>(random() % 3) - (seam > 0));
    }
    const auto length = static_cast<uint32_t>(random() % 3);
    if (step % 300 == 299) {
      text = start;
      pieces.clear();
    } else if (random() % 2 == 0 || at == text.size()) {
      edit(text, pieces, at, at, std::string(length + 1, alphabet[random() % alphabet.size()]));
    } else {
      edit(text, pieces, at, std::min(at + length + 1, static_cast<uint32_t>(text.size())), "");
    }
    file = parse(text, std::move(pieces));
    INFO("step " << step << ", text:\n" << text);
    check_layout(*file);
    const SourceFile whole(text);
    if (!whole.has_syntax_error()) {
      ++clean;
      REQUIRE(first_tree_difference(*file, whole).empty());
    }
    // Mostly keep typing in code that parses: undo an edit that broke it, now and then.
    if (whole.has_syntax_error() && random() % 3 != 0) {
      text = start;
      file = parse(text, {});
    }
  }
  CHECK(clean > 300);
}

}  // namespace loopsafe
