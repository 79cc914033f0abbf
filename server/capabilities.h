#pragma once
// What the client can do, read once at initialize into plain flags.
#include "server/positions.h"
#include "server/protocol.h"

namespace loopsafe::server {

struct ClientCapabilities {
  PositionEncoding encoding = PositionEncoding::Utf16;
  bool pull_diagnostics = false;            // textDocument.diagnostic
  bool diagnostic_refresh = false;          // workspace.diagnostics.refreshSupport
  bool related_information = false;         // textDocument.publishDiagnostics.relatedInformation
  bool document_changes = false;            // workspace.workspaceEdit.documentChanges
  bool configuration = false;               // workspace.configuration
  bool watched_files_registration = false;  // workspace.didChangeWatchedFiles.dynamicRegistration
  bool markdown_hover = false;              // textDocument.hover.contentFormat holds "markdown"
  bool work_done_progress = false;          // window.workDoneProgress
};

ClientCapabilities read_client_capabilities(const json& capabilities);

}  // namespace loopsafe::server
