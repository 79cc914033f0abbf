// Incremental edits: a starting document and a sequence of edits, applied through the server's Document
// (text and trees edited in place, incremental reparse of the edited piece; pieces of 64 bytes here, so
// that edits meet seams, joins and splits) and analysed the way the
// server's worker analyses a version (check_file_incremental, reusing the previous version's findings).
// After each analysis it compares with a fresh parse and a whole check of the same text:
// - the trees, node by node (kind, field, byte and point ranges, missing and extra marks). They may
//   differ only when the fresh parse has errors: tree-sitter's error recovery depends on history, which
//   is why the server's own check (LOOPSAFE_VERIFY_INCREMENTAL) tolerates that case too;
// - the findings: those of the incremental check must be those of a whole check of the fresh tree, or
//   of the incremental tree where the two trees legitimately differ (what the server verifies).
//
// Input:  document 0x00 record...  (no 0x00: the whole input is the document, never edited)
// record: flags:u8 offset:u16le removed:u8 length:u8 inserted[length]
//   offset is taken modulo the text's size + 1 and the removed bytes end at the end of the text at most;
//   flags bit 0: analyse after this edit (the server's debounce ran out; the last edit always is),
//   flags bit 1: replace the whole text with `inserted` (a change without a range).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/checker.h"
#include "analysis/incremental.h"
#include "analysis/tree_diff.h"
#include "server/document.h"
#include "tests/fuzz/fuzz_support.h"

namespace loopsafe::fuzz {
namespace {

using server::Document;

constexpr std::string_view kPath = "app/service.py";

std::string escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    }
  }
  return out;
}

// One version's analysis, what the next version's incremental check starts from.
struct Analysed {
  std::shared_ptr<const SourceFile> source;
  std::shared_ptr<const IncrementalState> state;
  std::vector<Finding> findings;
};

class Session {
 public:
  explicit Session(std::string text) : document_(std::move(text)) {
    trace_ = "document: \"" + escaped(document_.text()) + "\"\n";
  }

  void edit(uint32_t offset, uint32_t removed, const std::string& inserted, bool replace_all) {
    if (replace_all) {
      trace_ += "replace all: \"" + escaped(inserted) + "\"\n";
      document_.replace_all(inserted);
      return;
    }
    const auto size = static_cast<uint32_t>(document_.text().size());
    const uint32_t start = offset % (size + 1);
    const uint32_t end = start + std::min(removed, size - start);
    trace_ += "edit [" + std::to_string(start) + ", " + std::to_string(end) + ") := \"" + escaped(inserted) +
              "\"\n";
    document_.edit(start, end, inserted);
  }

  // As Server::make_job and run_job do it: snapshot, parse (incrementally when the tree was kept), check
  // reusing the previous analysis when the edits since are known, adopt the parse.
  void analyse() {
    Document::Snapshot snapshot = document_.snapshot();
    const std::optional<std::vector<SourceEdit>> edits = std::move(snapshot.edits);
    auto source = Document::parse(std::move(snapshot), false);
    std::optional<PreviousCheck> previous;
    if (last_ && edits)
      previous.emplace(PreviousCheck{last_->source->text(), *last_->state, last_->findings, *edits});
    IncrementalCheck checked =
        check_file_incremental(*source, settings_, kPath, previous ? &*previous : nullptr);
    document_.adopt(source);
    trace_ += std::string("analysed: ") + (checked.reused ? "reused" : "whole") + "\n";
    verify(*source, checked);
    last_ = Analysed{std::move(source), std::move(checked.state), std::move(checked.result.findings)};
  }

 private:
  void verify(const SourceFile& incremental, const IncrementalCheck& checked) {
    const SourceFile fresh{std::string(incremental.text())};
    const std::string difference = first_tree_difference(incremental, fresh);
    if (!difference.empty() && !fresh.has_syntax_error())
      fail_with("the incremental tree differs from a fresh parse of code without errors:\n" + difference);
    const CheckResult whole = check_file(difference.empty() ? fresh : incremental, settings_, kPath);
    if (whole.findings != checked.result.findings)
      fail_with(std::string("the incremental check (") + (checked.reused ? "reused" : "whole") + ") found " +
                std::to_string(checked.result.findings.size()) + " finding(s), a whole check " +
                std::to_string(whole.findings.size()));
  }

  [[noreturn]] void fail_with(const std::string& what) {
    std::fprintf(stderr, "%s", trace_.c_str());
    fail(what);
  }

  Document document_;
  Settings settings_;
  std::optional<Analysed> last_;
  std::string trace_;  // what happened, printed when an invariant breaks
};

}  // namespace
}  // namespace loopsafe::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("LOOPSAFE_PIECE_BYTES", "64", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loopsafe::fuzz;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t separator = std::min(input.find('\0'), input.size());
  Session session{std::string(input.substr(0, separator))};
  session.analyse();
  ByteReader records(data + std::min(separator + 1, size), size - std::min(separator + 1, size));
  bool analysed = true;
  while (!records.empty()) {
    const uint8_t flags = records.byte();
    const uint16_t offset = records.u16();
    const uint8_t removed = records.byte();
    const std::string inserted = records.short_text();
    session.edit(offset, removed, inserted, (flags & 2) != 0);
    analysed = (flags & 1) != 0;
    if (analysed) session.analyse();
  }
  if (!analysed) session.analyse();
  return 0;
}
