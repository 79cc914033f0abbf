// workspace/didChangeWorkspaceFolders: folders come and go; each has its own settings, asked for again.
#include <algorithm>

#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_change_workspace_folders(Server& server, const json& params) {
  const json& event = member(params, "event");
  std::vector<std::string> folders = server.workspace_folders();
  for (const std::string& removed : folder_uris(optional_member(event, "removed")))
    std::erase(folders, removed);
  for (std::string& added : folder_uris(optional_member(event, "added")))
    if (std::find(folders.begin(), folders.end(), added) == folders.end())
      folders.push_back(std::move(added));
  server.set_workspace_folders(std::move(folders));
  server.request_configuration();
}

}  // namespace loopsafe::server::handlers
