#include "server/capabilities.h"

namespace loopsafe::server {
namespace {

// capabilities.a.b.c, or null.
const json& path(const json& root, std::initializer_list<const char*> keys) {
  const json* at = &root;
  for (const char* key : keys) at = &optional_member(*at, key);
  return *at;
}

bool flag(const json& root, std::initializer_list<const char*> keys) {
  const json& value = path(root, keys);
  return value.is_boolean() && value.get<bool>();
}

}  // namespace

ClientCapabilities read_client_capabilities(const json& caps) {
  ClientCapabilities client;
  client.encoding = negotiate_encoding(path(caps, {"general", "positionEncodings"}));
  client.pull_diagnostics = path(caps, {"textDocument", "diagnostic"}).is_object();
  client.diagnostic_refresh = flag(caps, {"workspace", "diagnostics", "refreshSupport"});
  client.related_information = flag(caps, {"textDocument", "publishDiagnostics", "relatedInformation"});
  client.document_changes = flag(caps, {"workspace", "workspaceEdit", "documentChanges"});
  client.configuration = flag(caps, {"workspace", "configuration"});
  client.work_done_progress = flag(caps, {"window", "workDoneProgress"});
  client.watched_files_registration =
      flag(caps, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
  const json& formats = path(caps, {"textDocument", "hover", "contentFormat"});
  if (formats.is_array())
    for (const json& f : formats) client.markdown_hover = client.markdown_hover || f == "markdown";
  return client;
}

}  // namespace loopsafe::server
