// JSON-RPC framing and dispatch on arbitrary streams. The input becomes the server's stdin (a memfd)
// and Server::run serves it as `loopsafe server` does, with LOOPSAFE_VERIFY_INCREMENTAL=1, so every
// reused incremental check is compared with a whole check on the way. Output goes to /dev/null.
//
// The first byte chooses how the rest is read (its low two bits) and what the client can do (the other
// bits, for the initialize request the modes 1 to 3 start with):
//   mode 0     the rest is the stream, as it is;
//   mode 1     initialize and initialized, then the rest as it is;
//   mode 2, 3  initialize and initialized, then messages built from the rest (see append_message): an
//              op byte, whose low five bits pick the message and high three bits its framing, and the
//              op's fields. Random bytes then mostly make valid LSP traffic, which reaches the handlers.
// Built messages never include `exit`; one arriving in mode 0 or 1 ends run() before the input is read
// to its end, which wait_for_threads accounts for. The server reads files named by `file:` URIs (the
// workspace folders it indexes, watched files, pyproject.toml): the built messages name paths that do
// not exist, and in modes 0 and 1 every "file:" is made "fuzz:", so that a workspace folder of "/" does
// not have a run spend its time summarising the machine's Python files.
#include <fcntl.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "server/server.h"
#include "tests/fuzz/fuzz_support.h"

namespace loopsafe::fuzz {
namespace {

using server::json;

constexpr const char* kUris[] = {"file:///fuzz/ws/app.py", "file:///fuzz/ws/tests/test_app.py",
                                 "untitled:Untitled-1", "file:///fuzz/ws/pyproject.toml"};
constexpr const char* kSelectors[] = {"ASYNC", "ASYNC251", "ASYNC2", "LS1", "LS304", "ALL", "LS", "NOPE", ""};
constexpr const char* kCodes[] = {"ASYNC251", "ASYNC210", "ASYNC230", "LS101", "LS302", "LS304", "E501"};
constexpr const char* kLogLevels[] = {"trace", "debug", "info", "warn", "error", "off", "verbose"};

template <size_t N>
const char* pick(const char* const (&table)[N], uint8_t byte) {
  return table[byte % N];
}

// A number for a position field: small mostly, sometimes what a broken client sends.
json position_number(ByteReader& in) {
  const uint8_t b = in.byte();
  switch (b) {
    case 255:
      return -1;
    case 254:
      return 4294967296.0;
    case 253:
      return 1.5;
    case 252:
      return "1";
    case 251:
      return UINT64_MAX;
    default:
      return b % 64;
  }
}

json position(ByteReader& in) {
  json line = position_number(in);
  return {{"line", std::move(line)}, {"character", position_number(in)}};
}

json range(ByteReader& in) {
  json start = position(in);
  return {{"start", std::move(start)}, {"end", position(in)}};
}

json selectors(ByteReader& in) {
  json list = json::array();
  for (uint8_t count = in.byte() % 4; count > 0; --count) list.push_back(pick(kSelectors, in.byte()));
  return list;
}

// The loopsafe settings object, with keys chosen by a bit mask.
json settings(ByteReader& in) {
  const uint8_t keys = in.byte();
  json s = json::object();
  if (keys & 1) s["enable"] = (in.byte() & 1) != 0;
  if (keys & 2) s["select"] = selectors(in);
  if (keys & 4) s["ignore"] = selectors(in);
  if (keys & 8) {
    const uint8_t b = in.byte();
    s["debounceMs"] = b == 0 ? json() : b == 1 ? json(-5) : json(b % 4);
  }
  if (keys & 16) s["logLevel"] = pick(kLogLevels, in.byte());
  if (keys & 32) {
    const uint8_t b = in.byte();
    s["docsUrl"] = b == 0   ? json()
                   : b == 1 ? json(in.short_text())
                            : json("https://example.org/{code}#{code}");
  }
  if (keys & 64) {
    const uint8_t b = in.byte();
    s["maxFileSizeMb"] = b == 0 ? json(-1) : b == 1 ? json("big") : json(b / 1000000.0);
  }
  if (keys & 128) s[in.short_text()] = in.short_text();
  return s;
}

json text_document(ByteReader& in) {
  return {{"uri", pick(kUris, in.byte())}};
}

std::string initialize_message(uint8_t capabilities) {
  json general = json::object(), text_document = json::object(), workspace = json::object();
  if (capabilities & 1) general["positionEncodings"] = {"utf-8", "utf-16"};
  if (capabilities & 2) {
    text_document["diagnostic"] = {{"dynamicRegistration", false}};
    workspace["diagnostics"] = {{"refreshSupport", true}};
  }
  if (capabilities & 4) workspace["configuration"] = true;
  if (capabilities & 8) {
    text_document["publishDiagnostics"] = {{"relatedInformation", true}};
    text_document["hover"] = {{"contentFormat", {"markdown", "plaintext"}}};
    workspace["workspaceEdit"] = {{"documentChanges", true}};
  }
  json window = json::object();
  if (capabilities & 16) {
    workspace["didChangeWatchedFiles"] = {{"dynamicRegistration", true}};
    window["workDoneProgress"] = true;  // the workspace index reports progress and can be cancelled
  }
  json params = {{"processId", nullptr},
                 {"rootUri", "file:///fuzz/ws"},
                 {"workspaceFolders", {{{"uri", "file:///fuzz/ws"}, {"name", "ws"}}}},
                 {"capabilities",
                  {{"general", std::move(general)},
                   {"textDocument", std::move(text_document)},
                   {"workspace", std::move(workspace)},
                   {"window", std::move(window)}}}};
  // Analysis at once after each change, so that more of it happens before the input ends.
  if (capabilities & 32)
    params["initializationOptions"] = {{"debounceMs", 0}, {"docsUrl", "https://e.org/{code}"}};
  return json({{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"}, {"params", std::move(params)}})
      .dump();
}

void frame(std::string& out, const std::string& body, uint8_t style, ByteReader& in) {
  switch (style) {
    case 5:
      out += "content-length: " + std::to_string(body.size()) + "\n\n";
      break;
    case 6:
      out += "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n";
      break;
    case 7: {
      // A length that is wrong by a little: the reader must resynchronise.
      const auto delta = static_cast<int8_t>(in.byte());
      out += "Content-Length: " +
             std::to_string(std::max<int64_t>(0, static_cast<int64_t>(body.size()) + delta)) + "\r\n\r\n";
      break;
    }
    default:
      out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  }
  out += body;
}

class StreamBuilder {
 public:
  explicit StreamBuilder(ByteReader& in) : in_(in) {}

  // One message from the input, appended to `out`.
  void append_message(std::string& out) {
    const uint8_t op = in_.byte();
    json message = {{"jsonrpc", "2.0"}};
    switch ((op & 0x1f) % 19) {
      case 0: {
        json document = text_document(in_);
        document["languageId"] = "python";
        document["version"] = in_.byte();
        document["text"] = in_.long_text();
        notification(message, "textDocument/didOpen", {{"textDocument", std::move(document)}});
        break;
      }
      case 1: {
        json document = text_document(in_);
        if (const uint8_t version = in_.byte(); version != 0) document["version"] = version;
        json changes = json::array();
        for (uint8_t count = 1 + in_.byte() % 3; count > 0; --count) {
          json where = range(in_);
          changes.push_back({{"range", std::move(where)}, {"text", in_.short_text()}});
        }
        notification(message, "textDocument/didChange",
                     {{"textDocument", std::move(document)}, {"contentChanges", std::move(changes)}});
        break;
      }
      case 2: {
        json document = text_document(in_);
        notification(
            message, "textDocument/didChange",
            {{"textDocument", std::move(document)}, {"contentChanges", {{{"text", in_.long_text()}}}}});
        break;
      }
      case 3:
        notification(message, "textDocument/didClose", {{"textDocument", text_document(in_)}});
        break;
      case 4:
        request(message, "textDocument/codeAction", code_action_params());
        break;
      case 5: {
        json document = text_document(in_);
        request(message, "textDocument/hover",
                {{"textDocument", std::move(document)}, {"position", position(in_)}});
        break;
      }
      case 6: {
        json params = {{"textDocument", text_document(in_)}};
        if (const uint8_t previous = in_.byte(); previous % 2)
          params["previousResultId"] = std::to_string(previous / 2);
        request(message, "textDocument/diagnostic", std::move(params));
        break;
      }
      case 7: {
        const uint8_t shape = in_.byte();
        json sent = settings(in_);
        notification(message, "workspace/didChangeConfiguration",
                     shape % 3 == 0   ? json{{"settings", {{"loopsafe", std::move(sent)}}}}
                     : shape % 3 == 1 ? json{{"settings", std::move(sent)}}
                                      : json::object());
        break;
      }
      case 8: {
        // An answer to one of the server's requests (workspace/configuration, registerCapability, ...).
        message["id"] = in_.byte() % 6;
        const uint8_t shape = in_.byte();
        if (shape % 4 == 0) {
          message["error"] = {{"code", -32601}, {"message", "no"}};
        } else if (shape % 4 == 1) {
          message["result"] = nullptr;
        } else {
          json items = json::array();
          for (uint8_t count = shape / 4 % 4; count > 0; --count) items.push_back(settings(in_));
          message["result"] = std::move(items);
        }
        break;
      }
      case 9: {
        const uint8_t b = in_.byte();
        const int64_t target = next_id_ - 1 - b % 4;
        notification(message, "$/cancelRequest",
                     {{"id", b & 0x80 ? json(std::to_string(target)) : json(target)}});
        break;
      }
      case 10:
        notification(message, "textDocument/didSave", {{"textDocument", text_document(in_)}});
        break;
      case 11:
        notification(message, "workspace/didChangeWatchedFiles",
                     {{"changes", {{{"uri", pick(kUris, in_.byte())}, {"type", 1 + in_.byte() % 3}}}}});
        break;
      case 12: {
        const json folder = {{"uri", in_.byte() % 2 ? "file:///fuzz/ws/tests" : "file:///fuzz/ws"},
                             {"name", "f"}};
        const bool add = in_.byte() % 2;
        notification(message, "workspace/didChangeWorkspaceFolders",
                     {{"event",
                       {{"added", add ? json::array({folder}) : json::array()},
                        {"removed", add ? json::array() : json::array({folder})}}}});
        break;
      }
      case 13: {
        const char* values[] = {"off", "messages", "verbose", "loud"};
        notification(message, "$/setTrace", {{"value", pick(values, in_.byte())}});
        break;
      }
      case 14:
        request(message, "shutdown", nullptr);
        break;
      case 15:
        frame(out, in_.short_text(), op >> 5, in_);  // any body, framed
        return;
      case 16:
        out += in_.short_text();  // anything between messages
        return;
      case 17: {
        // The user cancels the workspace index's progress (tokens count the indexing runs).
        const uint8_t b = in_.byte();
        notification(message, "window/workDoneProgress/cancel",
                     {{"token", b & 0x80 ? json(b % 4) : json("loopsafe-index-" + std::to_string(b % 4))}});
        break;
      }
      default: {
        // Methods the server does not serve, and a second initialize.
        const char* methods[] = {"textDocument/completion", "initialize", "workspace/symbol", "$/progress"};
        const uint8_t b = in_.byte();
        if (b & 0x80)
          notification(message, pick(methods, b), json::object());
        else
          request(message, pick(methods, b), json::object());
        break;
      }
    }
    // The reader turns invalid UTF-8 into U+FFFD before parsing, so replacing it here loses nothing.
    frame(out, message.dump(-1, ' ', false, json::error_handler_t::replace), op >> 5, in_);
  }

 private:
  static void notification(json& message, const char* method, json params) {
    message["method"] = method;
    message["params"] = std::move(params);
  }

  void request(json& message, const char* method, json params) {
    message["id"] = next_id_++;
    message["method"] = method;
    if (!params.is_null()) message["params"] = std::move(params);
  }

  json code_action_params() {
    json params = {{"textDocument", text_document(in_)}, {"range", range(in_)}};
    json diagnostics = json::array();
    for (uint8_t count = in_.byte() % 3; count > 0; --count) {
      const char* code = pick(kCodes, in_.byte());
      json diagnostic = {{"range", range(in_)}, {"code", code}};
      const uint8_t extra = in_.byte();
      if (extra & 1) diagnostic["source"] = extra & 2 ? "loopsafe" : "pyright";
      if (extra & 4) diagnostic["data"] = {{"version", in_.byte()}, {"code", code}, {"start", in_.u16()}};
      diagnostics.push_back(std::move(diagnostic));
    }
    json context = {{"diagnostics", std::move(diagnostics)}};
    const char* kinds[] = {"quickfix", "source.fixAll.loopsafe", "source", "refactor"};
    if (const uint8_t only = in_.byte(); only % 2) context["only"] = {pick(kinds, only / 2)};
    params["context"] = std::move(context);
    return params;
  }

  ByteReader& in_;
  int64_t next_id_ = 1;
};

// Where "file:" starts, in any case (a URI's scheme is case-insensitive), or npos.
size_t find_file_scheme(const std::string& text, size_t from) {
  constexpr std::string_view kScheme = "file:";
  for (size_t at = from; at + kScheme.size() <= text.size(); ++at) {
    size_t i = 0;
    while (i < kScheme.size() && std::tolower(static_cast<unsigned char>(text[at + i])) == kScheme[i]) ++i;
    if (i == kScheme.size()) return at;
  }
  return std::string::npos;
}

std::string build_stream(const uint8_t* data, size_t size) {
  ByteReader in(data, size);
  const uint8_t mode = in.byte();
  std::string stream;
  if ((mode & 3) != 0) {
    ByteReader none(nullptr, 0);
    frame(stream, initialize_message(mode >> 2), 0, none);
    frame(stream, R"({"jsonrpc":"2.0","method":"initialized","params":{}})", 0, none);
  }
  if ((mode & 3) < 2) {
    std::string rest = in.rest();
    for (size_t at = find_file_scheme(rest, 0); at != std::string::npos; at = find_file_scheme(rest, at))
      rest.replace(at, 4, "fuzz");
    stream += rest;
    return stream;
  }
  StreamBuilder builder(in);
  while (!in.empty()) builder.append_message(stream);
  return stream;
}

// LOOPSAFE_FUZZ_LOG=1, to see what the server makes of an input: its log and its output on stderr.
bool logging_everything() {
  const char* log = std::getenv("LOOPSAFE_FUZZ_LOG");
  return log && std::string_view(log) == "1";
}

int thread_count() {
  FILE* status = std::fopen("/proc/self/status", "r");
  require(status != nullptr, "cannot read /proc/self/status");
  char line[256];
  int threads = -1;
  while (std::fgets(line, sizeof line, status))
    if (std::sscanf(line, "Threads: %d", &threads) == 1) break;
  std::fclose(status);
  return threads;
}

// Server::run detaches its reader thread, which refers to the server until the input ends: after an
// `exit` message run() returns while the reader may still be reading. Waiting for the process's threads
// to come down to their number before run() is the one way to know it has finished, short of changing
// the server.
void wait_for_threads(int at_most) {
  while (thread_count() > at_most) std::this_thread::sleep_for(std::chrono::microseconds(50));
}

}  // namespace
}  // namespace loopsafe::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("LOOPSAFE_VERIFY_INCREMENTAL", "1", 0);
  // The server logs through spdlog and sets the level from its settings; the sink's own level keeps
  // stderr to what explains a crash (a failed verification is logged as critical), unless
  // LOOPSAFE_FUZZ_LOG=1 asks for everything.
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_level(loopsafe::fuzz::logging_everything() ? spdlog::level::trace : spdlog::level::critical);
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("fuzz", std::move(sink)));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loopsafe::fuzz;
  static loopsafe::server::MessageWriter* const writer = [] {
    if (logging_everything()) return new loopsafe::server::MessageWriter(STDERR_FILENO);
    const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    require(null_fd >= 0, "cannot open /dev/null");
    return new loopsafe::server::MessageWriter(null_fd);
  }();

  const std::string stream = build_stream(data, size);
  const int input = memfd_create("jsonrpc-fuzz-input", MFD_CLOEXEC);
  require(input >= 0, "memfd_create failed");
  for (size_t done = 0; done < stream.size();) {
    const ssize_t n = write(input, stream.data() + done, stream.size() - done);
    require(n > 0, "cannot write the input to the memfd");
    done += static_cast<size_t>(n);
  }
  lseek(input, 0, SEEK_SET);

  const int idle = thread_count();
  {
    loopsafe::server::Server server(*writer);
    const int serving = thread_count();  // with the server's thread pools, joined when it goes
    server.run(input);
    wait_for_threads(serving);
  }
  // Joined threads may still be listed for an instant; the next input counts from `idle` again.
  wait_for_threads(idle);
  close(input);
  return 0;
}
