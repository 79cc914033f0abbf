#pragma once
// JSON written straight into a string, for the large messages (diagnostics of a file with a thousand
// findings): building them as nlohmann::json values and freeing those again cost more than the
// analysis that found them. The output is what nlohmann's dump() gives for the same values.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace loopsafe::server {

// `"text"`, escaped; bytes that are not well-formed UTF-8 become U+FFFD (as MessageWriter does).
void append_json_string(std::string& out, std::string_view text);

// A json value as text; strings from disk may hold invalid UTF-8: replaced rather than thrown on.
std::string json_text(const nlohmann::json& value);

inline void append_json_number(std::string& out, int64_t value) {
  out += std::to_string(value);
}

}  // namespace loopsafe::server
