#pragma once
// Checking a file again after small edits, reusing what did not change. A keystroke usually lands in
// one function; every other function's findings then stay as they were (moved by the edit's length),
// and only the functions that could see the difference are walked and checked again.
//
// Reuse is only taken when it is provably the same as a full check (incremental.cpp says why): the
// functions not walked again keep their text, mention no name whose meaning may have changed, and
// belong to no class whose own lines changed; the file keeps its outline around the edit, its
// framework imports and the imports fixes add (which may move: carried fixes follow); and resolution
// never needed a body that was not walked. Otherwise the whole file is checked.
#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/checker.h"
#include "analysis/mentions.h"

namespace loopsafe {

// A module-level function, or a method of a module-level class: the unit of reuse. Offsets are into
// the text of the check that made it.
struct FunctionUnit {
  uint32_t start = 0;      // decorators included
  uint32_t def_start = 0;  // after the decorators
  uint32_t end = 0;
  uint32_t body_start = 0;
  uint32_t parameters_start = 0;  // its parameter list, evaluated in its own scope like the body
  uint32_t parameters_end = 0;
  uint32_t name_start = 0;
  uint32_t class_index = UINT32_MAX;  // methods: their class in IncrementalState::classes
  uint32_t attributes_begin = 0;      // the names it assigns as `self.name = ...`, in
  uint32_t attributes_end = 0;        // IncrementalState::attributes
  uint32_t locals_begin = 0;          // where the names its own scope binds (not `global`) are
  uint32_t locals_end = 0;            // bound, sorted by name, in IncrementalState::locals
  bool declares_global = false;       // `global` or `nonlocal` appears in its text
  uint32_t lookups_begin = 0;         // the members resolution looked up on the file's classes from
  uint32_t lookups_end = 0;           // its text, by position, in IncrementalState::lookups
  std::string name;
  bool is_async = false;
  bool annotated = false;  // has a return annotation
  bool returns = false;    // has a `return value`
  bool yields = false;
  bool imports_django = false;  // framework imports inside it
  bool imports_web_framework = false;
  bool has_error = false;   // a syntax error inside: never reused
  bool owns_lines = false;  // no other code on its lines (comments after it aside)
  // A method whose first parameter is `self`, which it never rebinds: every other `self` in its text
  // is followed by a dot.
  bool plain_self = false;
};

// A class defined at module level, whose methods are units.
struct ClassOutline {
  uint32_t start = 0;  // the `class` keyword: decorators mean nothing to the analysis
  uint32_t end = 0;
  uint32_t name_start = 0;
  uint32_t units_begin = 0;  // its methods in IncrementalState::units
  uint32_t units_end = 0;
  uint32_t members_begin = 0;  // the names its body binds, in IncrementalState::attributes
  uint32_t members_end = 0;
  std::string name;
  bool has_bases = false;
};

// A member looked up at `at` (an attribute's name) on a module-level class: IncrementalState::classes,
// or a class that is gone (UINT32_MAX - 1).
struct ClassLookup {
  uint32_t at = 0;
  uint32_t class_index = 0;
  auto operator<=>(const ClassLookup&) const = default;
};

// A name the module scope binds other than by `def` and `class` (imports, assignments, ...).
struct ModuleBinding {
  std::string name;
  uint32_t offset = 0;
  uint32_t value_start = 0, value_end = 0;  // empty when there is none
  uint32_t annotation_start = 0, annotation_end = 0;
  int kind = 0;        // BindingKind
  std::string target;  // imports: the qualified name
  bool operator==(const ModuleBinding&) const = default;
};

// Where a fix would import a module (see plan_import).
struct ImportPoint {
  std::string module;
  std::string name;
  bool has_edit = false;
  uint32_t at = 0;
  std::string text;
};

// What a check leaves for the next one.
struct IncrementalState {
  std::vector<FunctionUnit> units;  // in source order
  std::vector<ClassOutline> classes;
  std::vector<std::string> attributes;         // and class-body names
  std::vector<uint32_t> locals;                // offsets of names in the text
  std::vector<ClassLookup> lookups;            // by unit, then position
  std::vector<ModuleBinding> module_bindings;  // by offset, then name
  std::vector<ImportPoint> import_points;
  std::vector<std::pair<uint32_t, uint32_t>> error_spans;  // where the text holds syntax errors
  WordHits word_hits;  // where the words the last check looked for occur, to carry to the next text
  std::string line_ending;
  bool imports_django = false;
  bool imports_web_framework = false;
  bool skipped = false;  // `# loopsafe: skip-file`: nothing above was collected
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
  bool reused = false;         // false: the whole file was checked
  const char* why_whole = "";  // and why, for logs
  size_t walked = 0;           // reused: the units walked again, of
  size_t units = 0;            // all of them
  size_t collections = 1;      // reused: 2 when the first guess at what to walk fell short
};

// check_file(), reusing `previous` where that gives the same findings.
IncrementalCheck check_file_incremental(const SourceFile& file, const Settings& settings,
                                        std::string_view relative_path, const PreviousCheck* previous);

}  // namespace loopsafe
