// Analysis on arbitrary bytes. The input is one Python file, checked as `loopsafe check` checks a file
// (check_file) under a few configurations, then fixed as `--fix`, `--unsafe-fixes`, one quick fix at a
// time and `--add-noqa` fix it. Besides what the sanitizers catch, it stops on a finding, related
// location or edit outside the text, on overlapping edits within one fix, and on fixed text that lost
// what the original had: parsing without error, valid UTF-8, one kind of line ending, a BOM.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/checker.h"
#include "server/transport/utf8.h"
#include "tests/fuzz/fuzz_support.h"

namespace loopsafe::fuzz {
namespace {

// As in `loopsafe check --fix`.
constexpr int kMaxFixPasses = 10;
// Quick fixes tried one at a time per input: each costs a parse.
constexpr size_t kMaxSingleFixes = 32;

struct Configuration {
  Settings settings;
  std::string relative_path;
  bool unsafe_fixes = false;
};

std::vector<Configuration> make_configurations() {
  std::vector<Configuration> all(3);
  all[0].relative_path = "app/service.py";

  // Python 3.8 has no asyncio.to_thread: the unsafe fix takes run_in_executor + functools.partial.
  all[1].settings.min_python = PythonVersion{3, 8};
  all[1].settings.extend_blocking_calls = {{"legacy_client.fetch", "legacy_client.afetch"},
                                           {"mylib.db.*", "mylib.adb"}};
  all[1].relative_path = "service.py";
  all[1].unsafe_fixes = true;

  all[2].settings.select = {"ALL"};
  all[2].settings.extend_select = {"LS3"};
  all[2].settings.per_file_ignores = {{"tests/*", {"ASYNC251"}}};
  all[2].settings.severity = {{"ASYNC", Severity::Error}, {"LS1", Severity::Hint}};
  all[2].settings.min_python = PythonVersion{3, 12};
  all[2].relative_path = "tests/test_service.py";
  all[2].unsafe_fixes = true;
  return all;
}

bool parses_cleanly(const std::string& text) {
  const SourceFile file(text);
  return !file.has_syntax_error();
}

enum LineEndings : unsigned { kLf = 1, kCrLf = 2, kCr = 4 };

unsigned line_endings(std::string_view text) {
  unsigned found = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      found |= kLf;
    } else if (text[i] == '\r') {
      const bool crlf = i + 1 < text.size() && text[i + 1] == '\n';
      found |= crlf ? kCrLf : kCr;
      i += crlf ? 1 : 0;
    }
  }
  return found;
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// What fixing must keep (README: "line endings and a BOM are kept").
struct Original {
  explicit Original(std::string bytes)
      : text(std::move(bytes)),
        clean(parses_cleanly(text)),
        utf8(server::is_valid_utf8(text)),
        endings(line_endings(text)),
        bom(text.starts_with(kBom)) {}

  void check_fixed(const std::string& fixed, std::string_view how) const {
    if (clean && !parses_cleanly(fixed)) fail(std::string(how) + " breaks a file that parsed");
    if (utf8 && !server::is_valid_utf8(fixed)) fail(std::string(how) + " makes valid UTF-8 invalid");
    // Files with one kind of line ending keep it; mixed ones are left to the fixes' judgement.
    const unsigned after = line_endings(fixed);
    if ((endings == kLf || endings == kCrLf || endings == kCr) && (after & ~endings) != 0)
      fail(std::string(how) + " adds another kind of line ending");
    if (bom && !fixed.starts_with(kBom)) fail(std::string(how) + " loses the BOM");
  }

  std::string text;
  bool clean, utf8;
  unsigned endings;
  bool bom;
};

void check_ranges(const std::string& text, const std::vector<Finding>& findings) {
  const size_t size = text.size();
  for (const Finding& f : findings) {
    require(f.start <= f.end && f.end <= size, "a finding's range lies outside the text");
    for (const RelatedLocation& r : f.related)
      if (r.path.empty())
        require(r.start <= r.end && r.end <= size, "a related location lies outside the text");
    for (const Fix& fix : f.fixes) {
      require(fix.region_start <= fix.region_end && fix.region_end <= size,
              "a fix region lies outside the text");
      uint32_t previous_end = 0;
      for (const TextEdit& e : fix.edits) {
        require(e.start <= e.end && e.end <= size, "a fix edit lies outside the text");
        require(e.start >= previous_end, "the edits of one fix overlap or are out of order");
        previous_end = e.end;
      }
    }
  }
}

// The preferred fix of each finding, as `--fix` (and `--unsafe-fixes`) chooses them.
std::vector<const Fix*> preferred_fixes(const std::vector<Finding>& findings, bool unsafe) {
  std::vector<const Fix*> chosen;
  for (const Finding& f : findings)
    for (const Fix& fix : f.fixes) {
      if (fix.suppression) continue;
      if (fix.applicability == Applicability::Safe || unsafe) chosen.push_back(&fix);
      break;
    }
  return chosen;
}

void check_configuration(const Original& original, const Configuration& config) {
  const SourceFile file(original.text);
  const CheckResult result = check_file(file, config.settings, config.relative_path);
  require(!result.skipped || result.findings.empty(), "a skipped file has findings");
  check_ranges(original.text, result.findings);

  // Quick fixes, one at a time, as an editor applies them.
  size_t tried = 0;
  for (const Finding& f : result.findings)
    for (const Fix& fix : f.fixes) {
      if (tried++ == kMaxSingleFixes) break;
      std::string text = original.text;
      apply_fixes(text, {&fix});
      original.check_fixed(text, "the quick fix `" + fix.title + "`");
    }

  // --fix: passes until nothing applies.
  std::string text = original.text;
  std::vector<Finding> findings = result.findings;
  for (int pass = 0; pass < kMaxFixPasses; ++pass) {
    const std::vector<const Fix*> chosen = preferred_fixes(findings, config.unsafe_fixes);
    if (chosen.empty() || apply_fixes(text, chosen) == 0) break;
    original.check_fixed(text, "--fix");
    findings = check_file(SourceFile(text), config.settings, config.relative_path).findings;
    check_ranges(text, findings);
  }

  // --add-noqa.
  if (!result.findings.empty()) {
    const Fix noqa{"noqa", Applicability::Safe, add_noqa_edits(file, result.findings, config.settings), true};
    text = original.text;
    apply_fixes(text, {&noqa});
    original.check_fixed(text, "--add-noqa");
  }
}

}  // namespace
}  // namespace loopsafe::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loopsafe::fuzz;
  static const std::vector<Configuration> configurations = make_configurations();
  const Original original(std::string(reinterpret_cast<const char*>(data), size));
  for (const Configuration& config : configurations) check_configuration(original, config);
  return 0;
}
