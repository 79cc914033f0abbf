#include "cli/output/report.h"

#include "analysis/line_index.h"

namespace loopsafe::cli {

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (uint32_t i = 0; i < text.size();) {
    const uint32_t len = utf8_sequence_length(text, i);
    if (len == 1 && static_cast<unsigned char>(text[i]) >= 0x80)
      out += "\xEF\xBF\xBD";
    else
      out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace loopsafe::cli
