#include <map>

#include "server/handlers/handlers.h"

namespace loopsafe::server::handlers {

RequestHandler find_request_handler(const std::string& method) {
  static const std::map<std::string, RequestHandler, std::less<>> table = {
      {"initialize", initialize},
      {"shutdown", shutdown},
      {"textDocument/codeAction", code_action},
      {"textDocument/hover", hover},
      {"textDocument/diagnostic", diagnostic},
  };
  const auto it = table.find(method);
  return it == table.end() ? nullptr : it->second;
}

NotificationHandler find_notification_handler(const std::string& method) {
  static const std::map<std::string, NotificationHandler, std::less<>> table = {
      {"initialized", initialized},
      {"textDocument/didOpen", did_open},
      {"textDocument/didChange", did_change},
      {"textDocument/didSave", did_save},
      {"textDocument/didClose", did_close},
      {"workspace/didChangeConfiguration", did_change_configuration},
      {"workspace/didChangeWatchedFiles", did_change_watched_files},
      {"workspace/didChangeWorkspaceFolders", did_change_workspace_folders},
      {"$/cancelRequest", cancel_request},
      {"$/setTrace", set_trace},
      {"window/workDoneProgress/cancel", work_done_progress_cancel},
  };
  const auto it = table.find(method);
  return it == table.end() ? nullptr : it->second;
}

}  // namespace loopsafe::server::handlers
