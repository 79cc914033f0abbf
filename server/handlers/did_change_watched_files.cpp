// workspace/didChangeWatchedFiles: a pyproject.toml changed, appeared or went away: re-read the
// configuration and re-check every open document.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_change_watched_files(Server& server, const json& params) {
  const json& changes = member(params, "changes");
  if (!changes.is_array()) throw InvalidParams("`changes` must be a list");
  for (const json& change : changes)
    if (string_member(change, "uri").ends_with("pyproject.toml")) {
      server.reload_project_configs();
      return;
    }
}

}  // namespace loopsafe::server::handlers
