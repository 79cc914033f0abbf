// initialize: reads the client's capabilities once into flags, takes initializationOptions as the first
// settings, and answers with what the server offers.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {
namespace {

// `workspaceFolders` when the client sent them, else the older `rootUri`.
std::vector<std::string> workspace_folder_uris(const json& params) {
  const json& folders = optional_member(params, "workspaceFolders");
  if (folders.is_array()) return folder_uris(folders);
  if (const json& root = optional_member(params, "rootUri"); root.is_string())
    return {folder_uri(root.get<std::string>())};
  return {};
}

}  // namespace

void initialize(Server& server, const json& id, const json& params) {
  if (!params.is_object()) throw InvalidParams("initialize needs a params object");
  server.initialize(read_client_capabilities(optional_member(params, "capabilities")),
                    optional_member(params, "initializationOptions"));
  server.set_workspace_folders(workspace_folder_uris(params));
  const ClientCapabilities& client = server.client();
  json capabilities = {
      {"positionEncoding", encoding_name(client.encoding)},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"codeActionProvider",
       {{"codeActionKinds", {"quickfix", "source.fixAll.loopsafe"}}, {"resolveProvider", false}}},
      {"hoverProvider", true},
      {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
  };
  if (client.pull_diagnostics)
    capabilities["diagnosticProvider"] = {
        {"identifier", "loopsafe"}, {"interFileDependencies", false}, {"workspaceDiagnostics", false}};
  server.reply(id, {{"capabilities", std::move(capabilities)},
                    {"serverInfo", {{"name", "loopsafe"}, {"version", LOOPSAFE_VERSION}}}});
}

void initialized(Server& server, const json&) {
  server.after_initialized();
}

}  // namespace loopsafe::server::handlers
