#include "server/transport/message_writer.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "server/transport/json_text.h"

namespace loopsafe::server {

void MessageWriter::write(const nlohmann::json& message) {
  write_text(json_text(message));
}

void MessageWriter::write_text(std::string_view body) {
  std::string framed = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  framed += body;
  std::lock_guard lock(mutex_);
  if (broken_) return;
  for (size_t done = 0; done < framed.size();) {
    const ssize_t n = ::write(fd_, framed.data() + done, framed.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      spdlog::error("transport: cannot write to the client ({}); output stopped", std::strerror(errno));
      broken_ = true;
      return;
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace loopsafe::server
