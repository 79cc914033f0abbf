#pragma once
// JSON-RPC and LSP vocabulary shared by the server: error codes, the exception handlers throw for bad
// params, and small readers for the fields of a params object.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace loopsafe::server {

using json = nlohmann::json;

namespace error_code {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestCancelled = -32800;
}  // namespace error_code

namespace message_type {  // window/showMessage and window/logMessage
constexpr int kError = 1;
constexpr int kWarning = 2;
constexpr int kInfo = 3;
constexpr int kLog = 4;
}  // namespace message_type

// Thrown by handlers when params do not have the shape the method requires (answered with -32602).
struct InvalidParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The member `key` of `object`, which must exist.
const json& member(const json& object, const char* key);
// The member `key` when `object` is an object that has it, else null.
const json& optional_member(const json& object, const char* key);
const std::string& string_member(const json& object, const char* key);
// textDocument.uri of a params object.
const std::string& document_uri(const json& params);
// A workspace folder's uri ending in "/", so that it is a prefix of exactly the documents inside it.
std::string folder_uri(std::string uri);
// The folder_uri() of each WorkspaceFolder ({"uri", "name"}) of a list; anything else is skipped.
std::vector<std::string> folder_uris(const json& folders);

}  // namespace loopsafe::server
