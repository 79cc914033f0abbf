#pragma once
#include <filesystem>
#include <string>

namespace loopsafe::cli {

// Replaces `path` with `contents` atomically: writes a temporary file beside it, flushes it, keeps the
// original's permissions and renames it over the original. On any error the original is untouched
// and `error` says why.
bool write_file_atomically(const std::filesystem::path& path, const std::string& contents,
                           std::string& error);

}  // namespace loopsafe::cli
