// window/workDoneProgress/cancel: the user cancelled the workspace indexing shown as progress. Open
// documents keep being analysed; the index keeps what it read so far.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void work_done_progress_cancel(Server& server, const json& params) {
  server.cancel_progress(member(params, "token"));
}

}  // namespace loopsafe::server::handlers
