#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/output/report.h"

namespace loopsafe::cli {

struct CheckOptions {
  std::vector<std::string> paths;
  OutputFormat format = OutputFormat::Text;
  std::vector<std::string> select, extend_select, ignore;
  bool fix = false, unsafe_fixes = false, diff = false, add_noqa = false;
  bool exit_zero = false, statistics = false;
  bool no_cache = false;
  std::optional<std::string> stdin_filename, config;
  std::optional<std::string> cache_dir;  // overrides the `cache-dir` setting
};

// Runs `loopsafe check`; returns the process exit code (0 clean, 1 findings, 2 error).
int run_check(const CheckOptions& options);

}  // namespace loopsafe::cli
