#include "server/server.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "analysis/checker.h"
#include "server/diagnostics.h"
#include "server/handlers/handlers.h"
#include "server/transport/json_text.h"
#include "server/transport/message_reader.h"

namespace loopsafe::server {
namespace {

// How long nothing must happen before memory is given back: longer than a pause between keystrokes.
constexpr int kIdleMs = 300;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string last_segment(const std::string& uri) {
  const size_t slash = uri.find_last_of('/');
  return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

}  // namespace

namespace {

// With LOOPSAFE_VERIFY_INCREMENTAL=1: findings made by reusing the previous version's must be those of
// a whole check; a difference is a bug in the reuse, and stops the server loudly.
void verify_reuse(const AnalysisResult& result, const Settings& settings) {
  const CheckResult whole = check_file(*result.source, settings, result.relative_path);
  if (whole.findings == result.findings) return;
  spdlog::critical("incremental check of {} v{} differs from a whole check: {} vs {} findings", result.uri,
                   result.version, result.findings.size(), whole.findings.size());
  std::abort();
}

}  // namespace

struct Server::Job {
  std::string uri;
  int version = 0;
  uint64_t generation = 0;
  std::shared_ptr<std::atomic<uint64_t>> latest;
  std::optional<Document::Snapshot> snapshot;  // absent: nothing to analyse
  // The analysis the snapshot's edits start from, when an incremental check may reuse it.
  std::shared_ptr<const AnalysisResult> previous;
  uint64_t settings_epoch = 0;
  bool verify = false;
  Settings settings;
  std::string relative_path;
  std::optional<std::string> not_analysed;
  uint64_t parse_timeout_micros = 0;
  std::shared_ptr<std::atomic<size_t>> cancel;  // set when a newer version outdates it; null: never
};

Server::Server(MessageWriter& out) : out_(out) {
  const char* verify = std::getenv("LOOPSAFE_VERIFY_INCREMENTAL");
  verify_incremental_ = verify && std::string_view(verify) == "1";
}

int Server::run(int input_fd) {
  auto work = asio::make_work_guard(io_);
  std::thread reader_thread([this, input_fd] {
    ReaderCallbacks callbacks;
    callbacks.on_message = [this](json message) {
      // Recorded at once, so a request still queued behind slow work is answered as cancelled.
      if (message.is_object() && optional_member(message, "method") == "$/cancelRequest") {
        const json& id = optional_member(optional_member(message, "params"), "id");
        std::lock_guard lock(cancelled_mutex_);
        if (id.is_string() || id.is_number_integer()) cancelled_.insert(id.dump());
      }
      asio::post(io_, [this, message = std::move(message), received = Clock::now()] {
        dispatch(message, received);
        release_memory_when_idle();
      });
    };
    callbacks.on_bad_message = [this](int code, std::string text) {
      asio::post(io_, [this, code, text = std::move(text)] { reply_error(nullptr, code, text); });
    };
    callbacks.on_end = [this] {
      asio::post(io_, [this] {
        spdlog::info("input ended{}", shutdown_requested_ ? "" : " without shutdown and exit");
        exit();
      });
    };
    MessageReader(input_fd, std::move(callbacks)).run();
  });
  // The reader blocks in read(); the process ends without waiting for it (run_stdio_server).
  reader_thread.detach();
  io_.run();
  return exit_code_;
}

// --- messages ------------------------------------------------------------------------------------

void Server::reply(const json& id, json result) {
  reply_text(id, json_text(result));
}

void Server::reply_error(const json& id, int code, const std::string& message) {
  if (!id.is_null() && open_requests_.erase(id.dump()) == 0) return;
  out_.write({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::notify(const std::string& method, json params) {
  notify_text(method, json_text(params));
}

void Server::reply_text(const json& id, std::string_view result) {
  const std::string key = id.dump();
  if (open_requests_.erase(key) == 0) return;  // answered already (cancelled)
  std::string body = "{\"jsonrpc\":\"2.0\",\"id\":" + key + ",\"result\":";
  body += result;
  body += '}';
  out_.write_text(body);
}

void Server::notify_text(std::string_view method, std::string_view params) {
  std::string body = "{\"jsonrpc\":\"2.0\",\"method\":";
  append_json_string(body, method);
  body += ",\"params\":";
  body += params;
  body += '}';
  out_.write_text(body);
}

void Server::request(const std::string& method, json params,
                     std::function<void(const json&, const json&)> on_response) {
  const int id = next_request_id_++;
  pending_client_requests_[id] = std::move(on_response);
  out_.write({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

void Server::log_message(int type, const std::string& message) {
  if (type == message_type::kError)
    spdlog::error("{}", message);
  else
    spdlog::info("{}", message);
  notify("window/logMessage", {{"type", type}, {"message", message}});
}

void Server::show_message(int type, const std::string& message) {
  notify("window/showMessage", {{"type", type}, {"message", message}});
}

void Server::dispatch(const json& message, Clock::time_point received) {
  received_ = received;
  if (!message.is_object()) {
    reply_error(nullptr, error_code::kInvalidRequest, "Invalid Request: expected a JSON-RPC object");
    return;
  }
  const json& method = optional_member(message, "method");
  const bool has_id = message.contains("id");
  if (!method.is_string()) {
    if (has_id && (message.contains("result") || message.contains("error"))) {
      handle_response(message);
      return;
    }
    reply_error(nullptr, error_code::kInvalidRequest, "Invalid Request: no `method`");
    return;
  }
  const json& params = optional_member(message, "params");
  if (!has_id) {
    dispatch_notification(method.get<std::string>(), params);
    return;
  }
  const json& id = message["id"];
  if (!id.is_string() && !id.is_number_integer()) {
    reply_error(nullptr, error_code::kInvalidRequest, "Invalid Request: `id` must be a number or a string");
    return;
  }
  dispatch_request(id, method.get<std::string>(), params);
}

void Server::dispatch_request(const json& id, const std::string& method, const json& params) {
  const std::string key = id.dump();
  if (!open_requests_.insert(key).second) spdlog::warn("request id {} is already in use", key);
  {
    std::lock_guard lock(cancelled_mutex_);
    if (cancelled_.erase(key)) {
      reply_error(id, error_code::kRequestCancelled, "Request cancelled");
      return;
    }
  }
  if (!initialized_ && method != "initialize") {
    reply_error(id, error_code::kServerNotInitialized, "Server not initialized: send `initialize` first");
    return;
  }
  if (initialized_ && method == "initialize") {
    reply_error(id, error_code::kInvalidRequest, "Invalid Request: `initialize` was already sent");
    return;
  }
  if (shutdown_requested_) {
    reply_error(id, error_code::kInvalidRequest, "Invalid Request: the server is shutting down");
    return;
  }
  const handlers::RequestHandler handler = handlers::find_request_handler(method);
  if (!handler) {
    reply_error(id, error_code::kMethodNotFound, "Method not found: " + method);
    return;
  }
  try {
    handler(*this, id, params);
  } catch (const InvalidParams& e) {
    reply_error(id, error_code::kInvalidParams, std::string("Invalid params: ") + e.what());
  } catch (const json::exception& e) {
    reply_error(id, error_code::kInvalidParams, std::string("Invalid params: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, e.what());
    reply_error(id, error_code::kInternalError, std::string("Internal error: ") + e.what());
  }
}

void Server::dispatch_notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit();
    return;
  }
  if (!initialized_ || shutdown_requested_) {
    spdlog::debug("notification {} ignored {}", method,
                  initialized_ ? "after shutdown" : "before initialize");
    return;
  }
  const handlers::NotificationHandler handler = handlers::find_notification_handler(method);
  if (!handler) {
    spdlog::debug("notification {} ignored: not supported", method);
    return;
  }
  try {
    handler(*this, params);
  } catch (const std::exception& e) {
    spdlog::error("{}: invalid params: {}", method, e.what());
  }
}

void Server::handle_response(const json& message) {
  const json& id = message["id"];
  if (!id.is_number_integer()) return;
  const auto it = pending_client_requests_.find(id.get<int>());
  if (it == pending_client_requests_.end()) {
    spdlog::warn("response to unknown request {}", id.dump());
    return;
  }
  const auto on_response = std::move(it->second);
  pending_client_requests_.erase(it);
  const json& error = optional_member(message, "error");
  if (!error.is_null())
    spdlog::warn("the client answered request {} with an error: {}", id.dump(), error.dump());
  try {
    on_response(optional_member(message, "result"), error);
  } catch (const std::exception& e) {
    spdlog::error("handling the response to request {}: {}", id.dump(), e.what());
  }
}

// --- lifecycle -----------------------------------------------------------------------------------

void Server::initialize(ClientCapabilities client, const json& initialization_options) {
  client_ = client;
  initialized_ = true;
  apply_settings(initialization_options, true);
}

void Server::after_initialized() {
  request_configuration();
  if (client_.watched_files_registration) {
    // Configuration, and the other modules the project-wide analysis follows.
    const json watchers = {{{"globPattern", "**/pyproject.toml"}}, {{"globPattern", "**/*.py"}}};
    request("client/registerCapability",
            {{"registrations",
              {{{"id", "loopsafe-watched-files"},
                {"method", "workspace/didChangeWatchedFiles"},
                {"registerOptions", {{"watchers", watchers}}}}}}},
            [](const json&, const json&) {});
  }
  index_workspace();
}

void Server::release_memory_when_idle() {
#ifdef __GLIBC__
  idle_timer_.expires_after(std::chrono::milliseconds(kIdleMs));
  idle_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) asio::post(worker_, [] { malloc_trim(0); });  // about a millisecond per 50 MB of heap
  });
#endif
}

void Server::exit() {
  exit_code_ = shutdown_requested_ ? 0 : 1;
  io_.stop();
}

void Server::cancel(const json& id) {
  const std::string key = id.dump();
  {
    std::lock_guard lock(cancelled_mutex_);
    cancelled_.erase(key);
  }
  if (!open_requests_.contains(key)) return;  // answered already
  for (auto& [uri, doc] : documents_)
    std::erase_if(doc->waiting_pulls, [&](const auto& pull) { return pull.first == id; });
  reply_error(id, error_code::kRequestCancelled, "Request cancelled");
}

// --- settings ------------------------------------------------------------------------------------

void Server::apply_settings(const json& sent, bool from_initialization_options) {
  const json& object = settings_object(sent);
  if (from_initialization_options) initialization_settings_ = object.is_object() ? object : json::object();
  ServerSettings fresh;
  std::vector<std::string> problems;
  overlay_settings(fresh, initialization_settings_, problems);
  if (!from_initialization_options) overlay_settings(fresh, object, problems);
  for (const std::string& problem : problems) log_message(message_type::kWarning, "loopsafe: " + problem);
  settings_ = std::move(fresh);
  settings_changed();
}

void Server::request_configuration() {
  if (!client_.configuration) return;
  // The first item is the global configuration; then one per workspace folder, scoped to it.
  json items = json::array({{{"section", "loopsafe"}}});
  for (const std::string& folder : workspace_folders_)
    items.push_back({{"scopeUri", folder}, {"section", "loopsafe"}});
  request("workspace/configuration", {{"items", std::move(items)}},
          [this, folders = workspace_folders_](const json& result, const json&) {
            const bool answered = result.is_array() && !result.empty();
            folder_settings_.clear();
            for (size_t i = 0; answered && i < folders.size() && i + 1 < result.size(); ++i) {
              ServerSettings folder;
              std::vector<std::string> problems;
              overlay_settings(folder, initialization_settings_, problems);
              overlay_settings(folder, settings_object(result[i + 1]), problems);
              for (const std::string& problem : problems)
                log_message(message_type::kWarning, "loopsafe (" + folders[i] + "): " + problem);
              folder_settings_[folders[i]] = std::move(folder);
            }
            apply_settings(answered ? result[0] : json(), false);
          });
}

void Server::set_workspace_folders(std::vector<std::string> uris) {
  const bool changed = uris != workspace_folders_;
  workspace_folders_ = std::move(uris);
  if (changed && index_epoch_ > 0) index_workspace();  // after `initialized` started the first one
}

const ServerSettings& Server::settings_for(const OpenDocument& doc) const {
  const ServerSettings* best = &settings_;
  size_t best_length = 0;
  for (const auto& [folder, settings] : folder_settings_)
    if (doc.uri.starts_with(folder) && folder.size() > best_length) {
      best = &settings;
      best_length = folder.size();
    }
  return *best;
}

void Server::settings_changed() {
  ++settings_epoch_;
  spdlog::set_level(spdlog::level::from_str(settings_.log_level));
  for (auto& [uri, doc] : documents_) document_changed(*doc, true);
  if (client_.pull_diagnostics && client_.diagnostic_refresh && !documents_.empty())
    request("workspace/diagnostic/refresh", nullptr, [](const json&, const json&) {});
}

void Server::reload_project_configs() {
  project_configs_.clear();
  reported_config_errors_.clear();
  settings_changed();
}

// --- documents -----------------------------------------------------------------------------------

OpenDocument* Server::find_document(const std::string& uri) {
  const auto it = documents_.find(uri);
  return it == documents_.end() ? nullptr : it->second.get();
}

OpenDocument& Server::open_document(const std::string& uri, int version, std::string text) {
  if (documents_.contains(uri)) spdlog::warn("{} was opened twice; the new text wins", uri);
  auto doc = std::make_unique<OpenDocument>(io_, uri, version, std::move(text));
  doc->path = uri_to_path(uri);
  OpenDocument& opened = *doc;
  documents_[uri] = std::move(doc);
  document_changed(opened, true);
  return opened;
}

void Server::close_document(const std::string& uri) {
  OpenDocument* doc = find_document(uri);
  if (!doc) {
    spdlog::warn("didClose for {}, which is not open", uri);
    return;
  }
  for (const auto& [id, previous] : doc->waiting_pulls)
    reply(id, {{"kind", "full"}, {"items", json::array()}});
  if (doc->cancel_parse) doc->cancel_parse->store(1);
  documents_.erase(uri);
  if (!client_.pull_diagnostics)
    notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
  python_file_changed(uri, false);  // back to the text on disk
}

int Server::debounce_ms(const OpenDocument& doc) const {
  if (const auto fixed = settings_for(doc).debounce_ms) return *fixed;
  return static_cast<int>(std::clamp(2 * doc.last_analysis_ms, 0.0, 500.0));
}

void Server::document_changed(OpenDocument& doc, bool immediate) {
  doc.generation = ++next_generation_;
  if (!doc.pending_since) doc.pending_since = received_;
  doc.latest->store(doc.generation);
  if (doc.cancel_parse) doc.cancel_parse->store(1);
  // Posted, not run: changes already queued behind this one supersede it before anything is parsed.
  const auto analyse = [this, uri = doc.uri, generation = doc.generation] {
    OpenDocument* current = find_document(uri);
    if (current && current->generation == generation) submit(*current);
  };
  const int delay = immediate ? 0 : debounce_ms(doc);
  doc.debounce.cancel();
  if (delay == 0) {
    asio::post(io_, analyse);
    return;
  }
  doc.debounce.expires_after(std::chrono::milliseconds(delay));
  doc.debounce.async_wait([this, analyse](const asio::error_code& ec) {
    if (!ec) asio::post(io_, analyse);
  });
}

Server::Job Server::make_job(OpenDocument& doc) {
  Job job{doc.uri, doc.version, doc.generation, doc.latest};
  const ServerSettings& editor = settings_for(doc);
  if (!editor.enable) return job;
  const size_t size = doc.document.text().size();
  const auto limit = static_cast<size_t>(editor.max_file_size_mb * 1024 * 1024);
  if (size > limit) {
    job.not_analysed = fmt::format(
        "loopsafe: this file is {} bytes, more than the maxFileSizeMb setting allows ({} MB = {} bytes); it "
        "is "
        "not analysed",
        size, editor.max_file_size_mb, limit);
    return job;
  }
  const auto config = project_configs_.for_document(doc.path.value_or(std::filesystem::path()));
  if (config->error && reported_config_errors_.insert(*config->error).second) {
    const std::string message = "loopsafe: invalid configuration, using defaults: " + *config->error;
    show_message(message_type::kError, message);
    log_message(message_type::kError, message);
  }
  job.settings = effective_settings(config->settings, editor);
  job.relative_path = doc.path ? relative_to(*doc.path, config->base) : last_segment(doc.uri);
  job.snapshot = doc.document.snapshot();
  job.settings_epoch = settings_epoch_;
  if (doc.analysis && doc.analysis->source && doc.analysis->incremental && job.snapshot->edits &&
      doc.analysis->settings_epoch == settings_epoch_)
    job.previous = doc.analysis;
  job.verify = verify_incremental_;
  job.parse_timeout_micros = static_cast<uint64_t>(editor.parse_timeout_ms) * 1000;
  return job;
}

AnalysisResult Server::run_job(Job job) {
  AnalysisResult result;
  result.uri = job.uri;
  result.version = job.version;
  result.generation = job.generation;
  result.not_analysed = job.not_analysed;
  result.settings = job.settings;
  result.relative_path = job.relative_path;
  if (!job.snapshot) return result;
  const auto start = Clock::now();
  std::optional<std::vector<SourceEdit>> edits = std::move(job.snapshot->edits);
  result.source = Document::parse(std::move(*job.snapshot), job.verify,
                                  ParseLimits{job.parse_timeout_micros, job.cancel.get()});
  result.settings_epoch = job.settings_epoch;
  const double parse_ms = milliseconds_since(start);
  if (!result.source) {
    if (job.cancel && job.cancel->load() != 0) {
      result.cancelled = true;
      spdlog::debug("parse of {} v{} given up: a newer version arrived", job.uri, job.version);
    } else {
      result.not_analysed = fmt::format(
          "loopsafe: parsing this file took longer than the parseTimeoutMs setting ({} ms); it is not "
          "analysed",
          job.parse_timeout_micros / 1000);
      spdlog::warn("{} v{}: parse given up after {} ms", job.uri, job.version,
                   job.parse_timeout_micros / 1000);
    }
    return result;
  }
  try {
    std::optional<PreviousCheck> previous;
    if (job.previous)
      previous.emplace(PreviousCheck{job.previous->source->text(), *job.previous->incremental,
                                     job.previous->file_findings(), *edits});
    IncrementalCheck checked = check_file_incremental(*result.source, job.settings, job.relative_path,
                                                      previous ? &*previous : nullptr);
    result.findings = std::move(checked.result.findings);
    result.incremental = std::move(checked.state);
    result.reused = checked.reused;
    if (job.verify && checked.reused) verify_reuse(result, job.settings);
  } catch (const std::exception& e) {
    spdlog::error("analysis of {} failed: {}", job.uri, e.what());
  }
  result.milliseconds = milliseconds_since(start);
  spdlog::debug("analysed {} v{} in {:.1f} ms ({}, parse {:.1f} ms in {} piece(s)): {} finding(s)", job.uri,
                job.version, result.milliseconds, result.reused ? "unchanged functions reused" : "whole file",
                parse_ms, result.source ? result.source->pieces().size() : 0, result.findings.size());
  return result;
}

void Server::submit(OpenDocument& doc) {
  auto job = std::make_shared<Job>(make_job(doc));
  if (!job->snapshot) {
    finish(std::make_shared<const AnalysisResult>(run_job(std::move(*job))));
    return;
  }
  // Parsing happens on the worker too: a large reparse never holds up requests about other documents,
  // and a newer version stops it.
  job->cancel = std::make_shared<std::atomic<size_t>>(0);
  doc.cancel_parse = job->cancel;
  asio::post(worker_, [this, job] {
    if (job->latest->load() != job->generation) return;  // a newer version is on its way
    auto result = std::make_shared<const AnalysisResult>(run_job(std::move(*job)));
    if (result->cancelled) return;
    asio::post(io_, [this, result] { finish(result); });
  });
}

void Server::finish(std::shared_ptr<const AnalysisResult> result) {
  OpenDocument* doc = find_document(result->uri);
  if (!doc || doc->generation != result->generation) return;                     // stale
  if (doc->analysis && doc->analysis->generation == result->generation) return;  // made on demand already
  // The previous result and parse are freed after the publish, not before it.
  Document::Replaced replaced;
  if (result->source) replaced = doc->document.adopt(result->source);
  const std::shared_ptr<const AnalysisResult> replaced_analysis =
      std::exchange(doc->analysis, std::move(result));
  doc->last_analysis_ms = doc->analysis->milliseconds;
  update_project_findings(*doc);
  summarise_later(*doc);
  release_memory_when_idle();
  if (doc->pending_since) {
    spdlog::debug("{} v{} ready {:.3f} ms after its change arrived", doc->uri, doc->version,
                  milliseconds_since(*std::exchange(doc->pending_since, std::nullopt)));
  }
  if (!client_.pull_diagnostics) publish(*doc);
  for (const auto& [id, previous] : std::exchange(doc->waiting_pulls, {}))
    reply_text(id, pull_report(*doc, previous));
}

std::shared_ptr<const AnalysisResult> Server::current_analysis(OpenDocument& doc) {
  if (!doc.analysis || doc.analysis->generation != doc.generation)
    finish(std::make_shared<const AnalysisResult>(run_job(make_job(doc))));
  return doc.analysis;
}

void Server::publish(const OpenDocument& doc) {
  std::string params = "{\"uri\":";
  append_json_string(params, doc.uri);
  params += ",\"version\":" + std::to_string(doc.analysis->version) + ",\"diagnostics\":";
  params += diagnostics_json(*doc.analysis, client_, settings_for(doc));
  params += '}';
  notify_text("textDocument/publishDiagnostics", params);
}

std::string Server::pull_report(const OpenDocument& doc, const json& previous_result_id) const {
  const std::string result_id =
      std::to_string(doc.analysis->generation) + "." + std::to_string(doc.analysis->project_revision);
  const bool unchanged = previous_result_id == result_id;
  std::string report = unchanged ? "{\"kind\":\"unchanged\"" : "{\"kind\":\"full\"";
  report += ",\"resultId\":";
  append_json_string(report, result_id);
  if (!unchanged) {
    report += ",\"items\":";
    report += diagnostics_json(*doc.analysis, client_, settings_for(doc));
  }
  report += '}';
  return report;
}

void Server::pull_diagnostics(OpenDocument& doc, const json& id, const json& previous_result_id) {
  if (doc.analysis && doc.analysis->generation == doc.generation) {
    reply_text(id, pull_report(doc, previous_result_id));
    return;
  }
  doc.waiting_pulls.emplace_back(id, previous_result_id);
}

// --- entry point ---------------------------------------------------------------------------------

void run_stdio_server() {
  std::signal(SIGPIPE, SIG_IGN);
  auto logger = spdlog::stderr_logger_mt("loopsafe");
  logger->set_pattern("[%H:%M:%S.%e] [loopsafe] [%l] %v");
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
  // Never destroyed: the reader thread may still be blocked reading when the process ends.
  auto* out = new MessageWriter(STDOUT_FILENO);
  auto* server = new Server(*out);
  const int code = server->run(STDIN_FILENO);
  spdlog::default_logger()->flush();
  std::_Exit(code);
}

}  // namespace loopsafe::server
