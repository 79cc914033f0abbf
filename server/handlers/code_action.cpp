// textDocument/codeAction: the quick fixes of each loopsafe diagnostic in the request (sleep ->
// asyncio.sleep, to_thread, async def -> def, noqa), and source.fixAll.loopsafe: every safe fix of the
// file applied together, as `loopsafe check --fix` would. Edits are computed from an analysis of the
// document's current version only.
#include "analysis/checker.h"
#include "server/diagnostics.h"
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {
namespace {

constexpr std::string_view kFixAllKind = "source.fixAll.loopsafe";
// As in `loopsafe check --fix`: fixing a finding can reveal or shift others.
constexpr int kMaxFixPasses = 10;

// `kind` is asked for when `only` is absent or holds it or one of its parents ("source" for
// "source.fixAll.loopsafe").
bool wanted(const json& only, std::string_view kind) {
  if (!only.is_array()) return true;
  for (const json& o : only) {
    if (!o.is_string()) continue;
    const std::string& prefix = o.get_ref<const std::string&>();
    if (kind == prefix ||
        (kind.starts_with(prefix) && kind.size() > prefix.size() && kind[prefix.size()] == '.'))
      return true;
  }
  return false;
}

json text_edits(const LineIndex& lines, const std::vector<TextEdit>& edits, PositionEncoding encoding) {
  json out = json::array();
  for (const TextEdit& e : edits)
    out.push_back({{"range", to_range(lines, e.start, e.end, encoding)}, {"newText", e.new_text}});
  return out;
}

json workspace_edit(const Server& server, const AnalysisResult& analysis, json edits) {
  if (server.client().document_changes)
    return {{"documentChanges",
             {{{"textDocument", {{"uri", analysis.uri}, {"version", analysis.version}}},
               {"edits", std::move(edits)}}}}};
  return {{"changes", {{analysis.uri, std::move(edits)}}}};
}

// The text after every safe fix, or nullopt when nothing changes.
std::optional<std::string> fix_all(const AnalysisResult& analysis) {
  const std::string original(analysis.source->text());
  std::string text = original;
  std::vector<Finding> findings = analysis.findings;
  for (int pass = 0; pass < kMaxFixPasses; ++pass) {
    std::vector<const Fix*> chosen;
    for (const Finding& f : findings)
      for (const Fix& fix : f.fixes) {
        if (fix.suppression) continue;
        if (fix.applicability == Applicability::Safe) chosen.push_back(&fix);
        break;  // only the preferred fix of each finding
      }
    if (chosen.empty() || apply_fixes(text, chosen) == 0) break;
    const SourceFile fixed(text);
    findings = check_file(fixed, analysis.settings, analysis.relative_path).findings;
  }
  if (text == original) return std::nullopt;
  return text;
}

bool continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// One edit turning `before` into `after`: the span between their common prefix and suffix, widened so
// it never splits a UTF-8 sequence or a "\r\n".
TextEdit replacing_edit(std::string_view before, std::string_view after) {
  size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
    ++suffix;
  while (prefix > 0 && ((prefix < before.size() && continuation(before[prefix])) ||
                        (before[prefix - 1] == '\r' && prefix < before.size() && before[prefix] == '\n')))
    --prefix;
  while (suffix > 0 && (continuation(before[before.size() - suffix]) ||
                        (before[before.size() - suffix] == '\n' && before.size() > suffix &&
                         before[before.size() - suffix - 1] == '\r')))
    --suffix;
  return {static_cast<uint32_t>(prefix), static_cast<uint32_t>(before.size() - suffix),
          std::string(after.substr(prefix, after.size() - suffix - prefix))};
}

}  // namespace

void code_action(Server& server, const json& id, const json& params) {
  OpenDocument* doc = server.find_document(document_uri(params));
  check_range(member(params, "range"));
  const json& context = member(params, "context");
  const json& diagnostics = member(context, "diagnostics");
  if (!diagnostics.is_array()) throw InvalidParams("`context.diagnostics` must be a list");
  const auto analysis = doc ? server.current_analysis(*doc) : nullptr;
  json actions = json::array();
  if (!analysis || !analysis->source) {
    server.reply(id, std::move(actions));
    return;
  }
  const PositionEncoding encoding = server.client().encoding;
  const LineIndex& lines = analysis->source->lines();
  const json& only = optional_member(context, "only");
  if (wanted(only, "quickfix")) {
    for (const json& diagnostic : diagnostics) {
      const Finding* finding = find_finding(*analysis, diagnostic, encoding);
      if (!finding) continue;
      bool preferred_given = false;
      for (const Fix& fix : finding->fixes) {
        json action = {{"title", fix.title},
                       {"kind", "quickfix"},
                       {"diagnostics", {diagnostic}},
                       {"edit", workspace_edit(server, *analysis, text_edits(lines, fix.edits, encoding))}};
        if (!fix.suppression && !preferred_given) {
          action["isPreferred"] = true;
          preferred_given = true;
        }
        actions.push_back(std::move(action));
      }
    }
  }
  if (wanted(only, kFixAllKind)) {
    if (const auto fixed = fix_all(*analysis)) {
      const TextEdit edit = replacing_edit(analysis->source->text(), *fixed);
      actions.push_back({{"title", "loopsafe: fix all safe findings"},
                         {"kind", kFixAllKind},
                         {"edit", workspace_edit(server, *analysis, text_edits(lines, {edit}, encoding))}});
    }
  }
  server.reply(id, std::move(actions));
}

}  // namespace loopsafe::server::handlers
