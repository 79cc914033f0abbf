#pragma once
// Findings as LSP diagnostics: ranges in the negotiated encoding, and `data` naming the finding
// ({uri, version, code, start}) so a code action request finds its fixes again.
#include "server/analysis_result.h"
#include "server/capabilities.h"
#include "server/settings.h"

namespace loopsafe::server {

// The diagnostics of an analysis, as the text of a JSON array (a thousand findings are sent on every
// keystroke: written directly, not built as json values first).
std::string diagnostics_json(const AnalysisResult& analysis, const ClientCapabilities& client,
                             const ServerSettings& settings);

// The finding a diagnostic sent by the client stands for, or null.
const Finding* find_finding(const AnalysisResult& analysis, const json& diagnostic,
                            PositionEncoding encoding);

}  // namespace loopsafe::server
