#pragma once
#include <string_view>

namespace loopsafe {

// fnmatch-style matching: `*` matches any run of characters (dots and slashes included, like Python's
// fnmatch), `?` one character, `[abc]`/`[!abc]` a class. `**/` also matches nothing.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace loopsafe
