#pragma once
// Per-file results kept between runs, like ruff's cache: each file of a project maps to its own
// findings and its module summary, valid while the file's bytes, the settings that apply to it and the
// loopsafe build stay the same. One file per project holds every entry; it is read once when a run
// starts and replaced atomically when the run ends. Anything wrong with it (truncated, corrupt, from
// another build, not a file) makes an empty cache that the next save rewrites: a cache can cost a
// re-check, never a wrong result or a failed run.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cache/codec.h"
#include "cache/hash.h"

namespace loopsafe::cache {

// What an entry's results depend on besides its path.
struct Key {
  Digest content;         // hash_bytes() of the file's bytes
  uint64_t settings = 0;  // settings_fingerprint()
  bool operator==(const Key&) const = default;
};

// The key of a file's `bytes` under the settings that apply to it (`config_relative`: its path from
// its config's directory).
Key key_of(std::string_view bytes, const Settings& settings, std::string_view config_relative);

// The loopsafe version and the identity of the running executable: a rebuild may change any result
// without changing the version number.
std::string build_stamp();

// Where the results of the project at `root` are kept, ready for writing: `configured` when given
// (absolute), else `root/.loopsafe_cache`; when that cannot be created or written (a system
// directory), `$XDG_CACHE_HOME/loopsafe` (default `~/.cache/loopsafe`) in a subdirectory named by a
// hash of `root`. Each directory gets a `.gitignore` that ignores it all. nullopt when none works.
std::optional<std::filesystem::path> prepare_directory(
    const std::filesystem::path& root, const std::optional<std::filesystem::path>& configured);

class ResultCache {
 public:
  // Reads the entries of the project at `root` from `directory` (see prepare_directory()).
  ResultCache(const std::filesystem::path& directory, const std::filesystem::path& root, std::string build);

  // The entry of `path` (relative to the project root) when it was stored under `key`. Safe to call
  // from many threads while nothing is stored.
  std::optional<Entry> find(const std::string& path, const Key& key) const;
  // Replaces the entry of `path` with `encoded` (encode_entry()).
  void store(const std::string& path, const Key& key, std::string encoded);
  // The file at `path` is still part of the project: its entry, if any, is saved again. Entries that
  // were neither stored nor kept belong to files that are gone and are dropped.
  void keep(const std::string& path);
  // Writes the entries when they changed; false with `error` set when that failed.
  bool save(std::string& error);

  const std::filesystem::path& file() const { return file_; }
  // Why the file on disk was not used; empty when it was used or did not exist.
  const std::string& note() const { return note_; }

 private:
  struct Loaded {
    Key key;
    std::string_view encoded;  // into contents_
    bool kept = false;
  };
  struct Stored {
    Key key;
    std::string encoded;
  };

  void load();

  std::filesystem::path file_;
  std::string build_;
  std::string contents_;
  std::string note_;
  std::unordered_map<std::string, Loaded> loaded_;
  std::unordered_map<std::string, Stored> stored_;
  bool changed_ = false;
};

}  // namespace loopsafe::cache
