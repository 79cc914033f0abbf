#include "cli/file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace loopsafe::cli {

bool write_file_atomically(const std::filesystem::path& path, const std::string& contents,
                           std::string& error) {
  const auto fail = [&](const std::string& what) {
    error = path.string() + ": " + what + ": " + std::strerror(errno);
    return false;
  };
  struct stat original {};
  if (::stat(path.c_str(), &original) != 0) return fail("cannot stat");
  // Renaming over a read-only file would succeed; the user's read-only bit says not to touch it.
  if (::access(path.c_str(), W_OK) != 0) return fail("not writable");
  std::string pattern = (path.parent_path().empty() ? std::string(".") : path.parent_path().string()) + "/." +
                        path.filename().string() + ".loopsafe-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return fail("cannot create a temporary file");
  const auto abandon = [&](const std::string& what) {
    const int saved = errno;
    ::close(fd);
    ::unlink(name.data());
    errno = saved;
    return fail(what);
  };
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("cannot write");
    }
    written += static_cast<size_t>(n);
  }
  if (::fchmod(fd, original.st_mode & 07777) != 0) return abandon("cannot set permissions");
  if (::fsync(fd) != 0) return abandon("cannot flush");
  if (::close(fd) != 0) {
    ::unlink(name.data());
    return fail("cannot close");
  }
  if (::rename(name.data(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(name.data());
    errno = saved;
    return fail("cannot replace");
  }
  return true;
}

}  // namespace loopsafe::cli
