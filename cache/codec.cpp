#include "cache/codec.h"

#include <cstring>

#include "cache/hash.h"

namespace loopsafe::cache {

void Writer::u32(uint32_t value) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  out_.append(bytes, 4);
}

void Writer::u64(uint64_t value) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  out_.append(bytes, 8);
}

void Writer::str(std::string_view value) {
  u32(static_cast<uint32_t>(value.size()));
  out_.append(value);
}

bool Reader::take(size_t n) {
  if (failed_ || in_.size() - pos_ < n) {
    failed_ = true;
    return false;
  }
  return true;
}

uint8_t Reader::u8() {
  if (!take(1)) return 0;
  return static_cast<uint8_t>(in_[pos_++]);
}

uint32_t Reader::u32() {
  if (!take(4)) return 0;
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
  pos_ += 4;
  return value;
}

uint64_t Reader::u64() {
  if (!take(8)) return 0;
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
  pos_ += 8;
  return value;
}

std::string_view Reader::str() {
  const uint32_t size = u32();
  if (!take(size)) return {};
  const std::string_view value = in_.substr(pos_, size);
  pos_ += size;
  return value;
}

uint32_t Reader::count(size_t min_size) {
  const uint32_t n = u32();
  if (failed_ || n > (in_.size() - pos_) / min_size) {
    failed_ = true;
    return 0;
  }
  return n;
}

namespace {

// One put/get pair per type. Each unpacks its struct with a structured binding, so a field added to
// analysis' types stops the build here instead of silently going missing from the cache.

void put(Writer& w, uint32_t v) {
  w.u32(v);
}
void put(Writer& w, bool v) {
  w.u8(v ? 1 : 0);
}
void put(Writer& w, int v) {
  w.u32(static_cast<uint32_t>(v));
}
void put(Writer& w, std::string_view v) {
  w.str(v);
}
void put(Writer& w, const std::string& v) {
  w.str(v);
}

void get(Reader& r, uint32_t& v) {
  v = r.u32();
}
void get(Reader& r, int& v) {
  v = static_cast<int>(r.u32());
}
void get(Reader& r, std::string& v) {
  v = r.str();
}
void get(Reader& r, bool& v) {
  const uint8_t byte = r.u8();
  if (byte > 1) r.fail();
  v = byte == 1;
}

template <typename Enum>
void put_enum(Writer& w, Enum v) {
  w.u8(static_cast<uint8_t>(v));
}
template <typename Enum>
void get_enum(Reader& r, Enum& v, Enum last) {
  const uint8_t byte = r.u8();
  if (byte > static_cast<uint8_t>(last)) r.fail();
  v = static_cast<Enum>(byte);
}

template <typename T>
void put(Writer& w, const std::vector<T>& items);
template <typename T>
void get(Reader& r, std::vector<T>& items);
template <typename T>
void put(Writer& w, const std::optional<T>& item);
template <typename T>
void get(Reader& r, std::optional<T>& item);
template <typename V>
void put(Writer& w, const std::map<std::string, V>& items);
template <typename V>
void get(Reader& r, std::map<std::string, V>& items);

void put(Writer& w, Severity s) {
  put_enum(w, s);
}
void put(Writer& w, const std::pair<std::string, std::vector<std::string>>& p);
void put(Writer& w, const std::pair<std::string, std::string>& p);

void put(Writer& w, const TextPoint& p) {
  const auto& [line, byte_column, utf16_column, code_point_column] = p;
  for (uint32_t v : {line, byte_column, utf16_column, code_point_column}) w.u32(v);
}
void get(Reader& r, TextPoint& p) {
  auto& [line, byte_column, utf16_column, code_point_column] = p;
  for (uint32_t* v : {&line, &byte_column, &utf16_column, &code_point_column}) *v = r.u32();
}

void put(Writer& w, const TextEdit& e) {
  const auto& [start, end, new_text] = e;
  put(w, start), put(w, end), put(w, new_text);
}
void get(Reader& r, TextEdit& e) {
  auto& [start, end, new_text] = e;
  get(r, start), get(r, end), get(r, new_text);
}

void put(Writer& w, const Fix& f) {
  const auto& [title, applicability, edits, suppression, region_start, region_end] = f;
  put(w, title), put_enum(w, applicability), put(w, edits), put(w, suppression), put(w, region_start),
      put(w, region_end);
}
void get(Reader& r, Fix& f) {
  auto& [title, applicability, edits, suppression, region_start, region_end] = f;
  get(r, title), get_enum(r, applicability, Applicability::Unsafe), get(r, edits), get(r, suppression),
      get(r, region_start), get(r, region_end);
}

void put(Writer& w, const RelatedLocation& l) {
  const auto& [path, start, end, message, start_point, end_point] = l;
  put(w, path), put(w, start), put(w, end), put(w, message), put(w, start_point), put(w, end_point);
}
void get(Reader& r, RelatedLocation& l) {
  auto& [path, start, end, message, start_point, end_point] = l;
  get(r, path), get(r, start), get(r, end), get(r, message), get(r, start_point), get(r, end_point);
}

void put(Writer& w, const Finding& f) {
  const auto& [code, start, end, message, severity, related, fixes] = f;
  put(w, code), put(w, start), put(w, end), put(w, message), put_enum(w, severity), put(w, related),
      put(w, fixes);
}
void get(Reader& r, Finding& f) {
  auto& [code, start, end, message, severity, related, fixes] = f;
  get(r, code), get(r, start), get(r, end), get(r, message), get_enum(r, severity, Severity::Hint),
      get(r, related), get(r, fixes);
}

void put(Writer& w, const CheckResult& c) {
  const auto& [findings, skipped] = c;
  put(w, findings), put(w, skipped);
}
void get(Reader& r, CheckResult& c) {
  auto& [findings, skipped] = c;
  get(r, findings), get(r, skipped);
}

void put(Writer& w, const project::Span& s) {
  const auto& [start, end, start_point, end_point] = s;
  put(w, start), put(w, end), put(w, start_point), put(w, end_point);
}
void get(Reader& r, project::Span& s) {
  auto& [start, end, start_point, end_point] = s;
  get(r, start), get(r, end), get(r, start_point), get(r, end_point);
}

void put(Writer& w, const project::Call& c) {
  const auto& [callee, at, written] = c;
  put(w, callee), put(w, at), put(w, written);
}
void get(Reader& r, project::Call& c) {
  auto& [callee, at, written] = c;
  get(r, callee), get(r, at), get(r, written);
}

void put(Writer& w, const project::BlockingCall& b) {
  const auto& [code, description, alternative, at] = b;
  put(w, code), put(w, description), put(w, alternative), put(w, at);
}
void get(Reader& r, project::BlockingCall& b) {
  auto& [code, description, alternative, at] = b;
  get(r, code), get(r, description), get(r, alternative), get(r, at);
}

void put(Writer& w, const project::FunctionSummary& f) {
  const auto& [name, is_async, is_generator, runs_when_called, name_at, blocking, calls] = f;
  put(w, name), put(w, is_async), put(w, is_generator), put(w, runs_when_called), put(w, name_at),
      put(w, blocking), put(w, calls);
}
void get(Reader& r, project::FunctionSummary& f) {
  auto& [name, is_async, is_generator, runs_when_called, name_at, blocking, calls] = f;
  get(r, name), get(r, is_async), get(r, is_generator), get(r, runs_when_called), get(r, name_at),
      get(r, blocking), get(r, calls);
}

void put(Writer& w, const project::ClassSummary& c) {
  const auto& [name, bases, methods] = c;
  put(w, name), put(w, bases), put(w, methods);
}
void get(Reader& r, project::ClassSummary& c) {
  auto& [name, bases, methods] = c;
  get(r, name), get(r, bases), get(r, methods);
}

void put(Writer& w, const project::Symbol& s) {
  const auto& [kind, index, target] = s;
  put_enum(w, kind), put(w, index), put(w, target);
}
void get(Reader& r, project::Symbol& s) {
  auto& [kind, index, target] = s;
  get_enum(r, kind, project::Symbol::Kind::Import), get(r, index), get(r, target);
}

void put(Writer& w, const project::CallSite& s) {
  const auto& [use, call, caller, fixes, suppressed] = s;
  put_enum(w, use), put(w, call), put(w, caller), put(w, fixes), put(w, suppressed);
}
void get(Reader& r, project::CallSite& s) {
  auto& [use, call, caller, fixes, suppressed] = s;
  get_enum(r, use, project::CallSite::Use::Dropped), get(r, call), get(r, caller), get(r, fixes),
      get(r, suppressed);
}

void put(Writer& w, const project::ModuleSummary& m) {
  const auto& [functions, classes, symbols, sites] = m;
  put(w, functions), put(w, classes), put(w, symbols), put(w, sites);
}
void get(Reader& r, project::ModuleSummary& m) {
  auto& [functions, classes, symbols, sites] = m;
  get(r, functions), get(r, classes), get(r, symbols), get(r, sites);
}

template <typename T>
void put(Writer& w, const std::vector<T>& items) {
  w.u32(static_cast<uint32_t>(items.size()));
  for (const T& item : items) put(w, item);
}
template <typename T>
void get(Reader& r, std::vector<T>& items) {
  const uint32_t n = r.count();
  items.clear();
  items.reserve(n);
  for (uint32_t i = 0; i < n && !r.failed(); ++i) get(r, items.emplace_back());
}

template <typename T>
void put(Writer& w, const std::optional<T>& item) {
  put(w, item.has_value());
  if (item) put(w, *item);
}
template <typename T>
void get(Reader& r, std::optional<T>& item) {
  bool present = false;
  get(r, present);
  item.reset();
  if (present) get(r, item.emplace());
}

template <typename V>
void put(Writer& w, const std::map<std::string, V>& items) {
  w.u32(static_cast<uint32_t>(items.size()));
  for (const auto& [key, value] : items) put(w, key), put(w, value);
}
template <typename V>
void get(Reader& r, std::map<std::string, V>& items) {
  const uint32_t n = r.count();
  items.clear();
  for (uint32_t i = 0; i < n && !r.failed(); ++i) {
    std::string key;
    get(r, key);
    get(r, items[std::move(key)]);
  }
}

void put(Writer& w, const std::pair<std::string, std::vector<std::string>>& p) {
  put(w, p.first), put(w, p.second);
}
void put(Writer& w, const std::pair<std::string, std::string>& p) {
  put(w, p.first), put(w, p.second);
}

}  // namespace

std::string encode_entry(const CheckResult& result, const project::ModuleSummary* summary) {
  Writer w;
  put(w, result);
  put(w, summary != nullptr);
  if (summary) put(w, *summary);
  return std::move(w.bytes());
}

bool decode_entry(std::string_view bytes, Entry& entry) {
  Reader r(bytes);
  get(r, entry.result);
  bool has_summary = false;
  get(r, has_summary);
  entry.summary.reset();
  if (has_summary) {
    auto summary = std::make_shared<project::ModuleSummary>();
    get(r, *summary);
    entry.summary = std::move(summary);
  }
  return !r.failed() && r.at_end();
}

uint64_t settings_fingerprint(const Settings& settings, std::string_view config_relative) {
  // `exclude` decides which files are checked, `cache_dir` where results go: neither changes a result.
  [[maybe_unused]] const auto& [select, extend_select, ignore, per_file_ignores, extend_blocking_calls,
                                severity, exclude, min_python, transitive, max_depth, cache_dir] = settings;
  Writer w;
  put(w, select), put(w, extend_select), put(w, ignore), put(w, per_file_ignores),
      put(w, extend_blocking_calls), put(w, severity), put(w, transitive), put(w, max_depth);
  put(w, min_python.has_value());
  if (min_python) put(w, min_python->major), put(w, min_python->minor);
  put(w, config_relative);
  return hash_bytes(w.bytes()).low;
}

}  // namespace loopsafe::cache
