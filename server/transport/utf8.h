#pragma once
// JSON must be valid UTF-8, but editors and pipes do not always deliver it. Each byte that does not
// belong to a well-formed sequence (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF)
// becomes U+FFFD, so a message with one bad byte still arrives instead of being dropped.
#include <string>
#include <string_view>

namespace loopsafe::server {

bool is_valid_utf8(std::string_view text);
std::string sanitize_utf8(std::string_view text);

}  // namespace loopsafe::server
