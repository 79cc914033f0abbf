#pragma once
// Writes framed JSON-RPC messages to the output. Any thread may call write(): one mutex serialises the
// messages, so two are never interleaved.
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>

namespace loopsafe::server {

class MessageWriter {
 public:
  explicit MessageWriter(int fd) : fd_(fd) {}
  void write(const nlohmann::json& message);
  // A message already written as JSON text (see json_text.h).
  void write_text(std::string_view body);

 private:
  std::mutex mutex_;
  int fd_;
  bool broken_ = false;  // the client closed its end: drop further output quietly
};

}  // namespace loopsafe::server
