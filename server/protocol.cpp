#include "server/protocol.h"

namespace loopsafe::server {

const json& member(const json& object, const char* key) {
  if (!object.is_object()) throw InvalidParams(std::string("expected an object holding `") + key + "`");
  const auto it = object.find(key);
  if (it == object.end()) throw InvalidParams(std::string("missing `") + key + "`");
  return *it;
}

const json& optional_member(const json& object, const char* key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  const auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

const std::string& string_member(const json& object, const char* key) {
  const json& value = member(object, key);
  if (!value.is_string()) throw InvalidParams(std::string("`") + key + "` must be a string");
  return value.get_ref<const std::string&>();
}

const std::string& document_uri(const json& params) {
  return string_member(member(params, "textDocument"), "uri");
}

std::string folder_uri(std::string uri) {
  if (!uri.empty() && uri.back() != '/') uri += '/';
  return uri;
}

std::vector<std::string> folder_uris(const json& folders) {
  std::vector<std::string> uris;
  if (folders.is_array())
    for (const json& folder : folders)
      if (const json& uri = optional_member(folder, "uri"); uri.is_string())
        uris.push_back(folder_uri(uri.get<std::string>()));
  return uris;
}

}  // namespace loopsafe::server
