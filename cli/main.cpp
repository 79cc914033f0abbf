// loopsafe: finds calls that block the asyncio event loop.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "analysis/catalog/catalog.h"
#include "analysis/rule_docs.h"
#include "cli/check_command.h"
#include "server/server.h"

namespace {

int print_rule(const std::string& code) {
  if (code.empty()) {
    for (std::string_view c : loopsafe::all_rule_codes())
      std::cout << c << std::string(10 - c.size(), ' ') << loopsafe::rule_name(c) << "\n";
    return 0;
  }
  std::string upper = code;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string_view page = loopsafe::rule_doc(upper);
  if (page.empty()) {
    std::cerr << "loopsafe: error: unknown rule `" << code << "` (see `loopsafe rule` for the list)\n";
    return 2;
  }
  std::cout << page;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"loopsafe: finds calls that block the asyncio event loop", "loopsafe"};
  app.set_version_flag("--version", std::string("loopsafe ") + LOOPSAFE_VERSION);
  app.require_subcommand(1);

  loopsafe::cli::CheckOptions check;
  std::string format = "text";
  CLI::App* check_cmd = app.add_subcommand("check", "Check Python files for blocking calls in async code");
  check_cmd->add_option("paths", check.paths, "Files or directories to check (default: .)");
  check_cmd->add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"text", "concise", "json", "sarif", "github"}));
  check_cmd->add_option("--select", check.select, "Rule codes or prefixes to enable (replaces the config's)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check_cmd
      ->add_option("--extend-select", check.extend_select, "Rule codes or prefixes to enable in addition")
      ->delimiter(',')
      ->allow_extra_args(false);
  check_cmd->add_option("--ignore", check.ignore, "Rule codes or prefixes to disable")
      ->delimiter(',')
      ->allow_extra_args(false);
  check_cmd->add_flag("--fix", check.fix, "Apply safe fixes in place");
  check_cmd->add_flag("--unsafe-fixes", check.unsafe_fixes, "With --fix or --diff, also apply unsafe fixes");
  check_cmd->add_flag("--diff", check.diff, "Print the fixes as a unified diff instead of applying them");
  check_cmd->add_flag("--add-noqa", check.add_noqa,
                      "Suppress every current finding with a `# noqa: CODE` comment");
  check_cmd->add_option("--stdin-filename", check.stdin_filename,
                        "Read the source from stdin, reported as NAME");
  check_cmd->add_flag("--exit-zero", check.exit_zero, "Exit 0 even when findings remain");
  check_cmd->add_flag("--statistics", check.statistics, "Print the number of findings per rule");
  check_cmd->add_option("--config", check.config, "Use this pyproject.toml for every file")
      ->check(CLI::ExistingFile);
  check_cmd->add_flag("--no-cache", check.no_cache, "Neither read nor write the cache of per-file results");
  check_cmd->add_option("--cache-dir", check.cache_dir, "Keep the cache here (overrides `cache-dir`)");

  std::string code;
  CLI::App* rule_cmd = app.add_subcommand("rule", "Print a rule's documentation (all rules without CODE)");
  rule_cmd->add_option("code", code, "Rule code, e.g. ASYNC251");

  // `loopsafe server`: the language server on stdin/stdout. --stdio is what vscode-languageclient appends.
  bool stdio = false;
  CLI::App* server_cmd = app.add_subcommand("server", "Run the language server (LSP over stdin/stdout)");
  server_cmd->add_flag("--stdio", stdio, "Serve over stdin/stdout (the default and only transport)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  if (rule_cmd->parsed()) return print_rule(code);
  if (server_cmd->parsed()) loopsafe::server::run_stdio_server();
  static const std::map<std::string, loopsafe::cli::OutputFormat> formats = {
      {"text", loopsafe::cli::OutputFormat::Text},
      {"concise", loopsafe::cli::OutputFormat::Concise},
      {"json", loopsafe::cli::OutputFormat::Json},
      {"sarif", loopsafe::cli::OutputFormat::Sarif},
      {"github", loopsafe::cli::OutputFormat::Github}};
  check.format = formats.at(format);
  return loopsafe::cli::run_check(check);
}
