#include "cache/result_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace loopsafe::cache {
namespace fs = std::filesystem;
namespace {

// The file starts with these bytes, then the format below; a new layout gets a new number.
constexpr std::string_view kMagic = "LSCACHE\n";
constexpr uint32_t kFormat = 1;

bool read_whole(const fs::path& path, std::string& contents, std::string& note) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) note = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    note = "not a regular file";
    ::close(fd);
    return false;
  }
  contents.resize(static_cast<size_t>(info.st_size));
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::read(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done != contents.size()) {
    note = "cannot read it whole";
    return false;
  }
  return true;
}

bool write_whole(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// A directory we may write into, with the `.gitignore` that keeps it out of version control.
bool usable(const fs::path& directory) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (!fs::is_directory(directory, ec) || ::access(directory.c_str(), W_OK | X_OK) != 0) return false;
  const fs::path ignore = directory / ".gitignore";
  if (fs::exists(ignore, ec)) return true;
  const int fd = ::open(ignore.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno == EEXIST;  // another run made it just now
  const bool written = write_whole(fd, "# Created by loopsafe: its cache, never committed.\n*\n");
  return ::close(fd) == 0 && written;
}

std::optional<fs::path> user_cache_home() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg && fs::path(xdg).is_absolute()) return fs::path(xdg);
  const char* home = std::getenv("HOME");
  if (home && *home) return fs::path(home) / ".cache";
  return std::nullopt;
}

}  // namespace

Key key_of(std::string_view bytes, const Settings& settings, std::string_view config_relative) {
  return {hash_bytes(bytes), settings_fingerprint(settings, config_relative)};
}

std::string build_stamp() {
  std::string stamp = LOOPSAFE_VERSION;
  struct stat self {};
  if (::stat("/proc/self/exe", &self) == 0)
    stamp += " " + std::to_string(self.st_size) + " " + std::to_string(self.st_mtim.tv_sec) + "." +
             std::to_string(self.st_mtim.tv_nsec) + " " + std::to_string(self.st_ino);
  return stamp;
}

std::optional<fs::path> prepare_directory(const fs::path& root, const std::optional<fs::path>& configured) {
  const fs::path primary = configured ? *configured : root / ".loopsafe_cache";
  if (usable(primary)) return primary;
  const auto home = user_cache_home();
  if (!home) return std::nullopt;
  const fs::path fallback = *home / "loopsafe" / to_hex(hash_bytes(root.string())).substr(0, 16);
  if (usable(fallback)) return fallback;
  return std::nullopt;
}

ResultCache::ResultCache(const fs::path& directory, const fs::path& root, std::string build)
    : build_(std::move(build)) {
  // Projects may share a configured directory: each has its own file.
  file_ = directory / ("results-" + to_hex(hash_bytes(root.string())).substr(0, 16) + ".bin");
  load();
}

// Layout: magic, u32 format, str build, u64 payload size, u64 x2 payload checksum, payload.
// Payload: u32 entries, then per entry: str path, u64 x2 content digest, u64 settings, str encoded.
void ResultCache::load() {
  if (!read_whole(file_, contents_, note_)) {
    changed_ = !note_.empty();
    contents_.clear();
    return;
  }
  const auto reject = [&](const char* why) {
    note_ = why;
    changed_ = true;
    loaded_.clear();
    contents_.clear();
  };
  if (!std::string_view(contents_).starts_with(kMagic)) return reject("not a loopsafe cache file");
  Reader header(std::string_view(contents_).substr(kMagic.size()));
  if (header.u32() != kFormat) return reject("another cache format");
  if (header.str() != build_) return reject("written by another loopsafe build");
  const uint64_t size = header.u64();
  const Digest checksum{header.u64(), header.u64()};
  if (header.failed()) return reject("truncated header");
  const size_t header_size = kMagic.size() + 4 + 4 + build_.size() + 8 + 16;
  const std::string_view payload = std::string_view(contents_).substr(header_size);
  if (payload.size() != size) return reject("truncated");
  if (hash_bytes(payload) != checksum) return reject("checksum mismatch");
  Reader r(payload);
  const uint32_t n = r.count(32);
  loaded_.reserve(n);
  for (uint32_t i = 0; i < n && !r.failed(); ++i) {
    std::string path(r.str());
    Loaded entry;
    entry.key.content.low = r.u64();
    entry.key.content.high = r.u64();
    entry.key.settings = r.u64();
    entry.encoded = r.str();
    loaded_.insert_or_assign(std::move(path), entry);
  }
  if (r.failed() || !r.at_end()) return reject("malformed entries");
}

std::optional<Entry> ResultCache::find(const std::string& path, const Key& key) const {
  const auto it = loaded_.find(path);
  if (it == loaded_.end() || !(it->second.key == key)) return std::nullopt;
  Entry entry;
  if (!decode_entry(it->second.encoded, entry)) return std::nullopt;
  return entry;
}

void ResultCache::store(const std::string& path, const Key& key, std::string encoded) {
  stored_.insert_or_assign(path, Stored{key, std::move(encoded)});
  changed_ = true;
}

void ResultCache::keep(const std::string& path) {
  const auto it = loaded_.find(path);
  if (it != loaded_.end()) it->second.kept = true;
}

bool ResultCache::save(std::string& error) {
  std::vector<std::pair<std::string_view, const Loaded*>> old;
  for (const auto& [path, entry] : loaded_) {
    if (stored_.contains(path)) continue;
    if (entry.kept)
      old.emplace_back(path, &entry);
    else
      changed_ = true;  // its file is gone
  }
  if (!changed_) return true;

  Writer payload;
  payload.u32(static_cast<uint32_t>(old.size() + stored_.size()));
  const auto put = [&](std::string_view path, const Key& key, std::string_view encoded) {
    payload.str(path);
    payload.u64(key.content.low);
    payload.u64(key.content.high);
    payload.u64(key.settings);
    payload.str(encoded);
  };
  for (const auto& [path, entry] : old) put(path, entry->key, entry->encoded);
  for (const auto& [path, entry] : stored_) put(path, entry.key, entry.encoded);
  const Digest checksum = hash_bytes(payload.bytes());
  Writer header;
  header.bytes().append(kMagic);
  header.u32(kFormat);
  header.str(build_);
  header.u64(payload.bytes().size());
  header.u64(checksum.low);
  header.u64(checksum.high);

  // A directory in the file's place (it is our name, in our directory) would make the rename fail.
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(file_, ec))) fs::remove_all(file_, ec);
  std::string name = file_.string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(name.data());
  const auto fail = [&](const std::string& what) {
    error = file_.string() + ": " + what + ": " + std::strerror(errno);
    return false;
  };
  if (fd < 0) return fail("cannot create a temporary file");
  const bool written =
      write_whole(fd, header.bytes()) && write_whole(fd, payload.bytes()) && ::fchmod(fd, 0644) == 0;
  if (::close(fd) != 0 || !written) {
    const int saved = errno;
    ::unlink(name.c_str());
    errno = saved;
    return fail("cannot write");
  }
  if (::rename(name.c_str(), file_.c_str()) != 0) {
    const int saved = errno;
    ::unlink(name.c_str());
    errno = saved;
    return fail("cannot replace");
  }
  changed_ = false;
  return true;
}

}  // namespace loopsafe::cache
