#include "cache/hash.h"

#include <cstring>

namespace loopsafe::cache {
namespace {

constexpr uint64_t kOdd1 = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kOdd2 = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kOdd3 = 0x165667b19e3779f9ULL;

uint64_t load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

uint64_t rotate(uint64_t x, int bits) {
  return (x << bits) | (x >> (64 - bits));
}

// Each step is a bijection of the lane for a given input word, so two inputs that differ in one word
// never meet in the same lane state; the final mix spreads every bit over the whole result.
uint64_t step(uint64_t lane, uint64_t word, uint64_t odd) {
  return rotate((lane ^ word) * odd, 29);
}

uint64_t finish(uint64_t x) {
  x ^= x >> 31;
  x *= kOdd2;
  x ^= x >> 29;
  x *= kOdd3;
  x ^= x >> 32;
  return x;
}

}  // namespace

Digest hash_bytes(std::string_view bytes) {
  // Two independent lanes of 64 bits each: twice the throughput of one, and 128 bits of key.
  uint64_t a = kOdd3 ^ bytes.size();
  uint64_t b = kOdd1 + bytes.size();
  const char* p = bytes.data();
  size_t left = bytes.size();
  for (; left >= 16; p += 16, left -= 16) {
    a = step(a, load64(p), kOdd1);
    b = step(b, load64(p + 8), kOdd2);
  }
  char tail[16] = {};
  std::memcpy(tail, p, left);
  a = step(a, load64(tail), kOdd1);
  b = step(b, load64(tail + 8), kOdd2);
  const uint64_t fa = finish(a), fb = finish(b);
  return {fa ^ rotate(fb, 17), fb + finish(fa ^ kOdd2)};
}

std::string to_hex(const Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = kDigits[(digest.high >> (4 * i)) & 15];
    out[31 - i] = kDigits[(digest.low >> (4 * i)) & 15];
  }
  return out;
}

}  // namespace loopsafe::cache
