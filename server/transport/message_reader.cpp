#include "server/transport/message_reader.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <optional>

#include "server/protocol.h"
#include "server/transport/utf8.h"

namespace loopsafe::server {
namespace {

constexpr size_t kChunk = 1 << 16;
constexpr size_t kMaxHeaderLine = 1 << 16;
constexpr size_t kMaxMessageBytes = size_t{512} << 20;
// LSP messages nest a dozen levels; far deeper input is hostile and would only strain recursion.
constexpr size_t kMaxDepth = 512;

size_t find_ci(std::string_view haystack, std::string_view needle) {
  const auto it =
      std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      });
  return it == haystack.end() ? std::string_view::npos : static_cast<size_t>(it - haystack.begin());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string preview(std::string_view text) {
  std::string shown = sanitize_utf8(text.substr(0, 60));
  for (char& c : shown)
    if (c == '\r' || c == '\n') c = ' ';
  return text.size() > 60 ? shown + "..." : shown;
}

}  // namespace

size_t json_nesting_depth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

MessageReader::MessageReader(int fd, ReaderCallbacks callbacks) : fd_(fd), callbacks_(std::move(callbacks)) {}

bool MessageReader::fill() {
  char chunk[kChunk];
  while (true) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

void MessageReader::compact() {
  if (pos_ > kChunk || pos_ == buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

bool MessageReader::skip_bytes(size_t count) {
  while (count > 0) {
    if (pos_ == buffer_.size() && !fill()) return false;
    const size_t take = std::min(count, buffer_.size() - pos_);
    pos_ += take;
    count -= take;
    compact();
  }
  return true;
}

// A header block followed straight by the next header block: the client sent a header without a body.
bool MessageReader::body_is_missing() {
  constexpr std::string_view kHeader = "content-";
  while (buffer_.size() - pos_ < kHeader.size())
    if (!fill()) break;
  const std::string_view next(buffer_.data() + pos_, std::min(kHeader.size(), buffer_.size() - pos_));
  return !next.empty() && find_ci(next, kHeader.substr(0, next.size())) == 0;
}

void MessageReader::run() {
  while (true) {
    std::optional<size_t> length;
    bool in_headers = false;
    bool ended = false;
    while (true) {
      const size_t newline = buffer_.find('\n', pos_);
      if (newline == std::string::npos) {
        if (buffer_.size() - pos_ > kMaxHeaderLine) {
          // Keep a tail: it may hold the start of the next "Content-Length".
          spdlog::error("transport: skipped {} bytes of input that is not a message header",
                        buffer_.size() - pos_ - 32);
          pos_ = buffer_.size() - 32;
          compact();
        }
        if (!fill()) {
          ended = true;
          break;
        }
        continue;
      }
      std::string_view line(buffer_.data() + pos_, newline - pos_);
      pos_ = newline + 1;
      line = trim(line);
      if (line.empty()) {
        if (in_headers) break;
        continue;  // blank lines between messages
      }
      in_headers = true;
      const size_t at = find_ci(line, "content-length");
      if (at == std::string_view::npos) {
        if (find_ci(line, "content-type") != 0)
          spdlog::error("transport: skipped unexpected header line `{}`", preview(line));
        continue;
      }
      if (at > 0)
        spdlog::error("transport: skipped garbage before a header: `{}`", preview(line.substr(0, at)));
      const size_t colon = line.find(':', at);
      const std::string_view value = colon == std::string_view::npos ? "" : trim(line.substr(colon + 1));
      size_t parsed = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
        spdlog::error("transport: invalid Content-Length `{}`; message skipped", preview(value));
        length.reset();
      } else {
        length = parsed;
      }
    }
    compact();
    if (ended) {
      if (in_headers || pos_ < buffer_.size())
        spdlog::error("transport: input ended inside a message header");
      break;
    }
    if (!length) {
      spdlog::error("transport: message without a valid Content-Length header; skipped");
      continue;
    }
    if (*length > kMaxMessageBytes) {
      spdlog::error("transport: message of {} bytes exceeds the limit of {} bytes; skipped", *length,
                    kMaxMessageBytes);
      if (!skip_bytes(*length)) break;
      continue;
    }
    if (*length > 0 && body_is_missing()) {
      spdlog::error("transport: header announced {} bytes but no body followed; skipped", *length);
      continue;
    }
    bool truncated = false;
    while (buffer_.size() - pos_ < *length)
      if (!fill()) {
        truncated = true;
        break;
      }
    if (truncated) {
      spdlog::error("transport: input ended inside a message body ({} of {} bytes)", buffer_.size() - pos_,
                    *length);
      break;
    }
    std::string body = buffer_.substr(pos_, *length);
    pos_ += *length;
    compact();
    deliver(std::move(body));
  }
  if (callbacks_.on_end) callbacks_.on_end();
}

void MessageReader::deliver(std::string body) {
  if (json_nesting_depth(body) > kMaxDepth) {
    spdlog::error("transport: message nested deeper than {} levels; rejected", kMaxDepth);
    callbacks_.on_bad_message(error_code::kInvalidRequest,
                              "message nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  const auto parse = [](const std::string& raw) {
    if (is_valid_utf8(raw)) return nlohmann::json::parse(raw, nullptr, false);
    spdlog::warn("transport: message holds invalid UTF-8; replaced by U+FFFD");
    return nlohmann::json::parse(sanitize_utf8(raw), nullptr, false);
  };
  nlohmann::json message = parse(body);
  if (!message.is_discarded()) {
    callbacks_.on_message(std::move(message));
    return;
  }
  // A Content-Length that was too long swallowed the start of the next message: give that back.
  const size_t next = find_ci(body, "content-length");
  if (next != std::string::npos && next > 0) {
    buffer_.insert(pos_, body, next, std::string::npos);
    body.resize(next);
    message = parse(body);
    if (!message.is_discarded()) {
      spdlog::error("transport: Content-Length was longer than its message; resynchronised");
      callbacks_.on_message(std::move(message));
      return;
    }
  }
  spdlog::error("transport: message is not valid JSON: `{}`", preview(body));
  callbacks_.on_bad_message(error_code::kParseError, "Parse error: message is not valid JSON");
}

}  // namespace loopsafe::server
