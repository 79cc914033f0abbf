#pragma once
// Checking a file again after small edits, reusing what did not change. A keystroke usually lands in
// one function body; every other function's findings then stay as they were (moved by the edit's
// length), and only that function (with its class's other methods) is walked and checked again.
//
// Reuse is only taken when it is provably the same as a full check: the edits lie inside one
// function's body, the file keeps its outline (the same functions at the same places), what other
// code can learn from that function ("exports": returned expressions, `self.x = ...`, being a
// generator, framework imports) is unchanged, and resolution never needed a skipped body. Otherwise
// the whole file is checked.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/checker.h"

namespace loopsafe {

// A module-level function, or a method of a module-level class: the unit of reuse.
struct FunctionUnit {
  uint32_t start = 0;  // decorators included
  uint32_t end = 0;
  uint32_t body_start = 0;
  uint32_t class_start = UINT32_MAX;  // methods: their class (a class's methods are checked together)
  std::string exports;                // what other code can learn from this body
  bool yields = false;                // a generator (part of exports too)
  bool imports_django = false;        // framework imports inside the body
  bool imports_web_framework = false;
};

// What a check leaves for the next one: the file's units, in source order.
struct IncrementalState {
  std::vector<FunctionUnit> units;
};

// One replacement of the bytes [start, old_end) by new_end - start bytes, in the text as it was
// when made (edits apply in order).
struct SourceEdit {
  uint32_t start = 0;
  uint32_t old_end = 0;
  uint32_t new_end = 0;
};

// The previous check of the same document under the same settings, and the edits since its text.
struct PreviousCheck {
  std::string_view text;
  const IncrementalState& state;
  const std::vector<Finding>& findings;
  const std::vector<SourceEdit>& edits;
};

struct IncrementalCheck {
  CheckResult result;
  std::shared_ptr<const IncrementalState> state;
  bool reused = false;  // false: the whole file was checked
};

// check_file(), reusing `previous` where that gives the same findings.
IncrementalCheck check_file_incremental(const SourceFile& file, const Settings& settings,
                                        std::string_view relative_path, const PreviousCheck* previous);

}  // namespace loopsafe
