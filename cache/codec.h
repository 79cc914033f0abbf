#pragma once
// The binary form of one cache entry (a file's own findings and its module summary) and of the
// settings an entry depends on. Fixed-width little-endian integers and length-prefixed strings: no
// parsing beyond bounds checks, so a warm run spends its time reading the project, not the cache.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "analysis/checker.h"
#include "analysis/config.h"
#include "analysis/project/summary.h"

namespace loopsafe::cache {

class Writer {
 public:
  void u8(uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(uint32_t value);
  void u64(uint64_t value);
  void str(std::string_view value);
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads what a Writer wrote. Running past the end or reading a length larger than what is left sets
// failed() and yields zeros and empty strings from then on, so callers check once at the end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : in_(bytes) {}
  uint8_t u8();
  uint32_t u32();
  uint64_t u64();
  std::string_view str();
  // A count of items each at least `min_size` bytes long: a corrupt count cannot make us allocate more
  // than the input could hold.
  uint32_t count(size_t min_size = 1);
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  void fail() { failed_ = true; }

 private:
  bool take(size_t n);
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

struct Entry {
  CheckResult result;
  std::shared_ptr<const project::ModuleSummary> summary;  // null when none was stored
};

std::string encode_entry(const CheckResult& result, const project::ModuleSummary* summary);
// False when `bytes` is not a whole, well-formed entry.
bool decode_entry(std::string_view bytes, Entry& entry);

// Everything in `settings` that can change a file's findings or summary, and the file's path relative
// to its config's directory (per-file-ignores match it).
uint64_t settings_fingerprint(const Settings& settings, std::string_view config_relative);

}  // namespace loopsafe::cache
