#pragma once
// Frames the JSON-RPC stream (Content-Length headers) on its own thread. It never waits on anything but
// the input: each message is parsed and handed on at once. Garbage, bad headers and broken JSON are
// logged and skipped, and the reader resynchronises on the next "Content-Length" it sees.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace loopsafe::server {

struct ReaderCallbacks {
  std::function<void(nlohmann::json)> on_message;
  // A message that arrived but is not JSON-RPC we can read: answered with an error whose id is null.
  std::function<void(int code, std::string message)> on_bad_message;
  std::function<void()> on_end;  // end of input
};

class MessageReader {
 public:
  MessageReader(int fd, ReaderCallbacks callbacks);
  // Reads until the input ends, then calls on_end.
  void run();

 private:
  bool fill();  // reads more input; false at end of input
  void compact();
  bool skip_bytes(size_t count);
  bool body_is_missing();
  void deliver(std::string body);

  int fd_;
  ReaderCallbacks callbacks_;
  std::string buffer_;
  size_t pos_ = 0;
};

// Deepest nesting of arrays and objects in JSON text (strings skipped).
size_t json_nesting_depth(std::string_view text);

}  // namespace loopsafe::server
