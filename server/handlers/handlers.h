#pragma once
// One handler per LSP method, each in its own file. Requests answer through Server::reply (at once or
// later); a handler throws InvalidParams when params do not have the method's shape.
#include "server/protocol.h"

namespace loopsafe::server {
class Server;
}

namespace loopsafe::server::handlers {

using RequestHandler = void (*)(Server& server, const json& id, const json& params);
using NotificationHandler = void (*)(Server& server, const json& params);

// Requests.
void initialize(Server& server, const json& id, const json& params);
void shutdown(Server& server, const json& id, const json& params);
void code_action(Server& server, const json& id, const json& params);
void hover(Server& server, const json& id, const json& params);
void diagnostic(Server& server, const json& id, const json& params);

// Notifications.
void initialized(Server& server, const json& params);
void did_open(Server& server, const json& params);
void did_change(Server& server, const json& params);
void did_save(Server& server, const json& params);
void did_close(Server& server, const json& params);
void did_change_configuration(Server& server, const json& params);
void did_change_watched_files(Server& server, const json& params);
void did_change_workspace_folders(Server& server, const json& params);
void cancel_request(Server& server, const json& params);
void set_trace(Server& server, const json& params);
void work_done_progress_cancel(Server& server, const json& params);

RequestHandler find_request_handler(const std::string& method);
NotificationHandler find_notification_handler(const std::string& method);

}  // namespace loopsafe::server::handlers
