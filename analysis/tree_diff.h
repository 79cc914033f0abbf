#pragma once
// Compares two parses of the same text node by node (kind, field, byte and point ranges, missing and
// extra marks), without recursion, so a file of 10,000 nested brackets is compared like any other. The
// server's self-check and the edit-script fuzzer use it to hold incremental and piecewise parses to a
// fresh parse of the whole text.
#include <string>

#include "analysis/source_file.h"

namespace loopsafe {

// The first node, in document order, where the two files' top-level nodes differ, described; empty
// when they are the same, whatever number of trees (pieces) holds them.
std::string first_tree_difference(const SourceFile& a, const SourceFile& b);

}  // namespace loopsafe
