// workspace/didChangeWorkspaceFolders: folders come and go; each has its own settings, asked for again.
#include <algorithm>

#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_change_workspace_folders(Server& server, const json& params) {
  const json& event = member(params, "event");
  std::vector<std::string> folders = server.workspace_folders();
  const auto uris = [&](const char* key) {
    std::vector<std::string> out;
    const json& list = optional_member(event, key);
    if (list.is_array())
      for (const json& folder : list)
        if (const json& uri = optional_member(folder, "uri"); uri.is_string()) {
          std::string u = uri.get<std::string>();
          if (!u.empty() && u.back() != '/') u += '/';
          out.push_back(std::move(u));
        }
    return out;
  };
  for (const std::string& removed : uris("removed")) std::erase(folders, removed);
  for (std::string& added : uris("added"))
    if (std::find(folders.begin(), folders.end(), added) == folders.end())
      folders.push_back(std::move(added));
  server.set_workspace_folders(std::move(folders));
  server.request_configuration();
}

}  // namespace loopsafe::server::handlers
