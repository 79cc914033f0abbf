// Baseline for bench/keystroke: applies the same edit script to the same file with tree-sitter alone
// (ts_tree_edit, then a reparse with the old tree) and prints the reparse times, so the server's
// keystroke latency can be read as a ratio against what incremental parsing itself costs.
//
// Usage: loopsafe_reparse_bench FILE EDITS, where each line of EDITS is "LINE COLUMN DELETE [TEXT]"
// (0-based, byte columns, TEXT without spaces). Prints "p50_ms P99_ms" in milliseconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/source_file.h"
#include "analysis/syntax.h"

namespace {

struct Edit {
  uint32_t line = 0, column = 0, deleted = 0;
  std::string inserted;
};

TSPoint point_of(const std::string& text, uint32_t offset) {
  TSPoint p{0, 0};
  uint32_t line_start = 0;
  for (uint32_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++p.row;
      line_start = i + 1;
    }
  p.column = offset - line_start;
  return p;
}

uint32_t offset_of(const std::string& text, uint32_t line, uint32_t column) {
  uint32_t offset = 0;
  for (uint32_t l = 0; l < line; ++l) offset = static_cast<uint32_t>(text.find('\n', offset)) + 1;
  return offset + column;
}

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(q * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE EDITS\n", argv[0]);
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string text = std::move(buffer).str();
  std::vector<Edit> edits;
  std::ifstream script(argv[2]);
  for (std::string line; std::getline(script, line);) {
    std::istringstream fields(line);
    Edit e;
    fields >> e.line >> e.column >> e.deleted >> e.inserted;
    edits.push_back(e);
  }
  // tree-sitter's own entry point, without the lone-"\r" handling of loopsafe::parse_python.
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  const auto parse = [&](const TSTree* old_tree) {
    return loopsafe::TreePtr(
        ts_parser_parse_string(parser, old_tree, text.data(), static_cast<uint32_t>(text.size())));
  };
  loopsafe::TreePtr tree = parse(nullptr);
  std::vector<double> reparse_ms;
  for (const Edit& e : edits) {
    // Finding the offset and points is bookkeeping the server does differently; only the tree-sitter
    // work is timed.
    const uint32_t start = offset_of(text, e.line, e.column);
    const uint32_t old_end = start + e.deleted;
    const TSPoint start_point = point_of(text, start);
    const TSPoint old_end_point = point_of(text, old_end);
    text.replace(start, e.deleted, e.inserted);
    const uint32_t new_end = start + static_cast<uint32_t>(e.inserted.size());
    const TSInputEdit edit{start, old_end, new_end, start_point, old_end_point, point_of(text, new_end)};
    const auto began = std::chrono::steady_clock::now();
    ts_tree_edit(tree.get(), &edit);
    tree = parse(tree.get());
    reparse_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count());
  }
  std::printf("%.4f %.4f\n", percentile(reparse_ms, 0.5), percentile(reparse_ms, 0.99));
  tree.reset();
  ts_parser_delete(parser);
}
