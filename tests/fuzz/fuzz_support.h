#pragma once
// What the fuzz targets share: stopping loudly on a broken invariant, and decoding fuzz input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace loopsafe::fuzz {

// For invariants the sanitizers cannot see: abort() makes libFuzzer keep the input as a reproducer.
[[noreturn]] inline void fail(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

inline void require(bool holds, std::string_view what) {
  if (!holds) fail(what);
}

// Reads the input front to back. Past its end every read gives zeros or empty text, so that any input
// decodes to something and a mutation near the end only changes the end of what it means.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  uint8_t byte() { return empty() ? 0 : data_[pos_++]; }
  uint16_t u16() { return static_cast<uint16_t>(byte() | (byte() << 8)); }
  std::string bytes(size_t count) {
    count = std::min(count, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_) + pos_, count);
    pos_ += count;
    return out;
  }
  // Text prefixed by its length: one byte, or two (little-endian) for whole documents.
  std::string short_text() { return bytes(byte()); }
  std::string long_text() { return bytes(u16()); }
  std::string rest() { return bytes(size_); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace loopsafe::fuzz
