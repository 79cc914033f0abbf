#pragma once
// A fast 128-bit hash of bytes, for cache keys and the cache file's checksum. Not cryptographic: the
// files it keys are the user's own, and a collision costs stale findings, not safety.
#include <cstdint>
#include <string>
#include <string_view>

namespace loopsafe::cache {

struct Digest {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const Digest&) const = default;
};

Digest hash_bytes(std::string_view bytes);

// 32 hexadecimal digits, for names of files and directories.
std::string to_hex(const Digest& digest);

}  // namespace loopsafe::cache
