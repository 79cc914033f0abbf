#pragma once
#include <string>
#include <string_view>

namespace loopsafe::cli {

// A unified diff (3 lines of context) between two versions of a file, "" when they are equal.
std::string unified_diff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace loopsafe::cli
