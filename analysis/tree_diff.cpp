#include "analysis/tree_diff.h"

#include <memory>
#include <vector>

namespace loopsafe {
namespace {

struct CursorDeleter {
  void operator()(TSTreeCursor* cursor) const {
    ts_tree_cursor_delete(cursor);
    delete cursor;
  }
};
using Cursor = std::unique_ptr<TSTreeCursor, CursorDeleter>;

Cursor cursor_at(TSNode node) {
  return Cursor(new TSTreeCursor(ts_tree_cursor_new(node)));
}

std::string describe(const TSTreeCursor* cursor) {
  const TSNode node = ts_tree_cursor_current_node(cursor);
  const char* field = ts_tree_cursor_current_field_name(cursor);
  const TSPoint start = ts_node_start_point(node), end = ts_node_end_point(node);
  return std::string(field ? field : "") + (field ? ": " : "") + ts_node_type(node) +
         (ts_node_is_missing(node) ? " (missing)" : "") + (ts_node_is_extra(node) ? " (extra)" : "") +
         " bytes " + std::to_string(ts_node_start_byte(node)) + "-" + std::to_string(ts_node_end_byte(node)) +
         " points " + std::to_string(start.row) + ":" + std::to_string(start.column) + "-" +
         std::to_string(end.row) + ":" + std::to_string(end.column) + " children " +
         std::to_string(ts_node_child_count(node));
}

bool same_node(const TSTreeCursor* x, const TSTreeCursor* y) {
  const TSNode a = ts_tree_cursor_current_node(x), b = ts_tree_cursor_current_node(y);
  const TSPoint a_start = ts_node_start_point(a), b_start = ts_node_start_point(b);
  const TSPoint a_end = ts_node_end_point(a), b_end = ts_node_end_point(b);
  return ts_node_symbol(a) == ts_node_symbol(b) &&
         ts_tree_cursor_current_field_id(x) == ts_tree_cursor_current_field_id(y) &&
         ts_node_start_byte(a) == ts_node_start_byte(b) && ts_node_end_byte(a) == ts_node_end_byte(b) &&
         a_start.row == b_start.row && a_start.column == b_start.column && a_end.row == b_end.row &&
         a_end.column == b_end.column && ts_node_is_missing(a) == ts_node_is_missing(b) &&
         ts_node_is_extra(a) == ts_node_is_extra(b) && ts_node_child_count(a) == ts_node_child_count(b);
}

// The first node, in document order, where the two trees differ, described; empty when they are equal.
std::string first_difference(TSNode a, TSNode b) {
  const Cursor x = cursor_at(a), y = cursor_at(b);
  while (true) {
    if (!same_node(x.get(), y.get())) return describe(x.get()) + "  vs  " + describe(y.get());
    // Equal child counts keep the cursors in step.
    if (ts_tree_cursor_goto_first_child(x.get())) {
      ts_tree_cursor_goto_first_child(y.get());
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(x.get())) {
      if (!ts_tree_cursor_goto_parent(x.get())) return {};
      ts_tree_cursor_goto_parent(y.get());
    }
    ts_tree_cursor_goto_next_sibling(y.get());
  }
}

}  // namespace

std::string first_tree_difference(const SourceFile& a, const SourceFile& b) {
  std::vector<TSNode> x, y;
  a.for_each_top_level([&](TSNode node) { x.push_back(node); });
  b.for_each_top_level([&](TSNode node) { y.push_back(node); });
  for (size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (std::string difference = first_difference(x[i], y[i]); !difference.empty()) return difference;
  if (x.size() != y.size())
    return std::to_string(x.size()) + " top-level nodes  vs  " + std::to_string(y.size());
  return {};
}

}  // namespace loopsafe
