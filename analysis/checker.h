#pragma once
// The per-file analysis entry point: text in, findings out (filtered by settings and noqa, sorted).
#include <string_view>
#include <vector>

#include "analysis/config.h"
#include "analysis/facts.h"
#include "analysis/finding.h"
#include "analysis/resolve.h"
#include "analysis/source_file.h"

namespace loopsafe {

struct CheckResult {
  std::vector<Finding> findings;
  bool skipped = false;  // `# loopsafe: skip-file`
};

// `relative_path` (slash-separated, relative to the config's directory) selects per-file-ignores.
CheckResult check_file(const SourceFile& file, const Settings& settings, std::string_view relative_path);

// The rules over facts already collected: findings filtered by settings and noqa, graded, ordered.
// `incomplete` is set when resolution needed a function body the facts skipped; `lookups` receives
// the member lookups resolution made (see Resolver).
std::vector<Finding> run_rules(const SourceFile& file, const FileFacts& facts, const Settings& settings,
                               std::string_view relative_path, bool* incomplete = nullptr,
                               std::vector<MemberLookup>* lookups = nullptr);
// The same with a resolver of these facts that the caller goes on using (what it learnt is kept).
std::vector<Finding> run_rules(const SourceFile& file, const FileFacts& facts, const Resolver& resolver,
                               const Settings& settings, std::string_view relative_path);

// The order findings are reported in.
void sort_findings(std::vector<Finding>& findings);

// Edits adding `# noqa: CODE` for every finding (for `--add-noqa`).
std::vector<TextEdit> add_noqa_edits(const SourceFile& file, const std::vector<Finding>& findings,
                                     const Settings& settings);

// Applies non-overlapping edits to `text` (later edits that overlap an earlier one are skipped;
// identical edits, such as one shared `import asyncio`, apply once). Returns how many fixes applied.
int apply_fixes(std::string& text, const std::vector<const Fix*>& fixes);

}  // namespace loopsafe
