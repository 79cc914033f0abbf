// workspace/didChangeWatchedFiles: a pyproject.toml changed, appeared or went away: re-read the
// configuration and re-check every open document. A Python file changed: summarise it again for the
// project-wide analysis.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_change_watched_files(Server& server, const json& params) {
  const json& changes = member(params, "changes");
  if (!changes.is_array()) throw InvalidParams("`changes` must be a list");
  bool configs = false;
  for (const json& change : changes) {
    const std::string& uri = string_member(change, "uri");
    if (uri.ends_with("pyproject.toml")) configs = true;
    // FileChangeType: 1 created, 2 changed, 3 deleted (a rename is a delete and a create).
    if (uri.ends_with(".py")) server.python_file_changed(uri, optional_member(change, "type") == 3);
  }
  if (configs) server.reload_project_configs();
}

}  // namespace loopsafe::server::handlers
