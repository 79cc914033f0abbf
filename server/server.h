#pragma once
// The language server's core. One asio io_context thread owns all state (documents, settings,
// pending requests): the reader thread posts every message to it, analysis runs on a worker and posts
// its result back, and the newest version wins. Handlers (server/handlers/) run on the io thread.
#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/project/project_index.h"
#include "server/analysis_result.h"
#include "server/capabilities.h"
#include "server/document.h"
#include "server/project_config.h"
#include "server/protocol.h"
#include "server/settings.h"
#include "server/transport/message_writer.h"

namespace loopsafe::server {

using Clock = std::chrono::steady_clock;

struct OpenDocument {
  OpenDocument(asio::io_context& io, std::string uri_, int version_, std::string text)
      : uri(std::move(uri_)), version(version_), document(std::move(text)), debounce(io), summary_timer(io) {}

  std::string uri;
  int version;
  Document document;
  std::optional<std::filesystem::path> path;  // for file:// documents
  uint64_t generation = 0;                    // changes with the text and with settings
  std::shared_ptr<std::atomic<uint64_t>> latest = std::make_shared<std::atomic<uint64_t>>(0);
  // Set to stop the parse of the analysis in flight on the worker, once its version is outdated.
  std::shared_ptr<std::atomic<size_t>> cancel_parse;
  std::shared_ptr<const AnalysisResult> analysis;  // the latest result, maybe of an older generation
  asio::steady_timer debounce;
  double last_analysis_ms = 0;
  // When the oldest change not yet analysed arrived: what the keystroke latency is measured from.
  std::optional<Clock::time_point> pending_since;
  // textDocument/diagnostic requests (id, previousResultId) waiting for this generation's analysis.
  std::vector<std::pair<json, json>> waiting_pulls;
  // Project-wide analysis: the editor's text is summarised for the index once typing pauses.
  asio::steady_timer summary_timer;
  int summary_version = -1;  // the version the index's summary of this document was made from
  // The LS200/LS302 findings of this document and the text their offsets refer to.
  std::vector<Finding> project_findings;
  std::shared_ptr<const SourceFile> project_source;
};

class Server {
 public:
  explicit Server(MessageWriter& out);
  // Serves until `exit` or the end of input; returns the process exit code.
  int run(int input_fd);

  // --- for handlers ----------------------------------------------------------------------------
  const ClientCapabilities& client() const { return client_; }
  // The settings without a workspace folder (initializationOptions, then the global configuration).
  const ServerSettings& settings() const { return settings_; }
  // The settings of the workspace folder holding the document (the deepest one), else the global ones.
  const ServerSettings& settings_for(const OpenDocument& doc) const;
  bool initialized() const { return initialized_; }

  void reply(const json& id, json result);
  void reply_error(const json& id, int code, const std::string& message);
  void notify(const std::string& method, json params);
  // The same with the result or params already written as JSON text.
  void reply_text(const json& id, std::string_view result);
  void notify_text(std::string_view method, std::string_view params);
  // A request to the client; `on_response` gets the result, or null and the error.
  void request(const std::string& method, json params,
               std::function<void(const json&, const json&)> on_response);
  void log_message(int type, const std::string& message);
  void show_message(int type, const std::string& message);

  // Lifecycle.
  void initialize(ClientCapabilities client, const json& initialization_options);
  void after_initialized();
  void shutdown() { shutdown_requested_ = true; }
  void exit();
  void cancel(const json& id);

  // Documents.
  OpenDocument* find_document(const std::string& uri);
  OpenDocument& open_document(const std::string& uri, int version, std::string text);
  void close_document(const std::string& uri);
  // After the text changed: a new generation, analysed after the debounce (at once with `immediate`).
  void document_changed(OpenDocument& doc, bool immediate);
  // The analysis of the document's current text and settings, made now on this thread if the latest
  // one is older. Edits must never be computed from an older version.
  std::shared_ptr<const AnalysisResult> current_analysis(OpenDocument& doc);
  // Answers a pull request now when the current generation is analysed, else when it is.
  void pull_diagnostics(OpenDocument& doc, const json& id, const json& previous_result_id);

  // Settings.
  void apply_settings(const json& sent, bool from_initialization_options);
  void request_configuration();
  const std::vector<std::string>& workspace_folders() const { return workspace_folders_; }
  // `uris` as folder_uris() makes them (ending in "/").
  void set_workspace_folders(std::vector<std::string> uris);
  void reload_project_configs();

  // Project-wide analysis (server/workspace_index.cpp).
  void index_workspace();
  void cancel_progress(const json& token);
  // A Python file changed on disk (created, changed or deleted).
  void python_file_changed(const std::string& uri, bool deleted);

 private:
  void dispatch(const json& message, Clock::time_point received);
  void dispatch_request(const json& id, const std::string& method, const json& params);
  void dispatch_notification(const std::string& method, const json& params);
  void handle_response(const json& message);

  void submit(OpenDocument& doc);
  struct Job;
  Job make_job(OpenDocument& doc);
  static AnalysisResult run_job(Job job);
  void finish(std::shared_ptr<const AnalysisResult> result);
  void publish(const OpenDocument& doc);
  std::string pull_report(const OpenDocument& doc, const json& previous_result_id) const;
  void settings_changed();
  int debounce_ms(const OpenDocument& doc) const;

  struct ProjectRoot {
    std::filesystem::path path;
    project::ProjectIndex index;
  };
  // The root holding `file` (the deepest) and the file's path from it.
  std::optional<std::pair<size_t, std::string>> place_in_project(const std::filesystem::path& file) const;
  void summarise_later(OpenDocument& doc);
  void index_ready(uint64_t epoch);
  void relink();
  // Recomputes the document's project findings (or carries them over its edits); true on a change.
  bool update_project_findings(OpenDocument& doc);
  void set_summary(size_t root, const std::string& relative, const std::string& uri,
                   std::shared_ptr<const project::ModuleSummary> summary);

  MessageWriter& out_;
  asio::io_context io_;
  asio::thread_pool worker_{1};
  asio::thread_pool indexer_{1};  // project-wide indexing, never in the way of keystroke analysis
  std::vector<ProjectRoot> roots_;
  uint64_t index_epoch_ = 0;  // changes with the workspace folders: older indexing work is dropped
  std::shared_ptr<std::atomic<bool>> indexing_cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::string progress_token_;
  bool indexed_ = false;
  bool verify_incremental_ = false;
  Clock::time_point received_;  // when the message being dispatched was read

  bool initialized_ = false;  // initialize answered
  bool shutdown_requested_ = false;
  int exit_code_ = 1;
  ClientCapabilities client_;
  ServerSettings settings_;
  json initialization_settings_ = json::object();
  std::vector<std::string> workspace_folders_;             // uris
  std::map<std::string, ServerSettings> folder_settings_;  // by folder uri, from workspace/configuration
  ProjectConfigs project_configs_;
  std::set<std::string> reported_config_errors_;

  std::map<std::string, std::unique_ptr<OpenDocument>> documents_;
  uint64_t next_generation_ = 0;
  uint64_t settings_epoch_ = 0;  // changes with every settings or pyproject change

  std::set<std::string> open_requests_;  // ids (dumped) of client requests not answered yet
  std::mutex cancelled_mutex_;
  std::set<std::string> cancelled_;  // written by the reader thread as cancellations arrive
  int next_request_id_ = 1;
  std::map<int, std::function<void(const json&, const json&)>> pending_client_requests_;

  // glibc keeps what each thread freed for that thread's next allocations, so without this the
  // footprint would follow the largest edit each thread ever met; once the server is idle, it gives
  // that back (clangd does the same).
  void release_memory_when_idle();
  asio::steady_timer idle_timer_{io_};
};

// `loopsafe server`: serves stdin/stdout, logs to stderr, and ends the process.
[[noreturn]] void run_stdio_server();

}  // namespace loopsafe::server
