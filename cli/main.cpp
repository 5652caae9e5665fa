// The `mlaudit` binary: one entry point for the language server and the CLI. The only code,
// with the protocol writer, that writes to stdout.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/audit_command.hpp"
#include "cli/check_command.hpp"
#include "lsp/server.hpp"

namespace {

// Logs go to stderr or --log-file, never to stdout (stdout carries the LSP protocol).
void setup_logging(const std::string& log_file, std::string level) {
  if (level.empty()) {
    const char* env = std::getenv("MLAUDIT_LOG");
    level = env && *env ? env : "info";
  }
  std::shared_ptr<spdlog::logger> logger;
  try {
    logger = log_file.empty() ? spdlog::stderr_color_mt("mlaudit") : spdlog::basic_logger_mt("mlaudit", log_file);
  } catch (const spdlog::spdlog_ex& e) {
    std::cerr << "mlaudit: cannot open log file: " << e.what() << "\n";
    logger = spdlog::stderr_color_mt("mlaudit");
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mlaudit: audits ML and LLM repositories against the AI/ML Infrastructure Audit checklist"};
  app.require_subcommand(1);
  app.set_version_flag("--version", MLAUDIT_VERSION);

  std::string log_file, log_level;
  mlaudit::lsp::ServerOptions server;
  auto* serve = app.add_subcommand("server", "Run the language server (LSP 3.17 over stdio)");
  bool stdio = true;
  serve->add_flag("--stdio", stdio, "Use stdio (the default and only transport; accepted for editor clients)");
  serve->add_option("--threads", server.threads, "Analysis threads (default: min(cores, 4))");
  serve->add_option("--rubric", server.rubric_dir, "Use the rubric in DIR instead of the embedded one");
  serve->add_option("--log-file", log_file, "Write logs to FILE instead of stderr");
  serve->add_option("--log-level", log_level, "trace, debug, info, warn, error or off (env MLAUDIT_LOG)");

  // The options `check` and `audit` share: what to load and how.
  auto add_workspace_options = [&](CLI::App* cmd, mlaudit::cli::LoadOptions& load) {
    cmd->add_option("--threads", load.threads, "Threads used to analyse files (default: all cores)");
    cmd->add_option("--rubric", load.rubric_dir, "Use the rubric in DIR instead of the embedded one");
    cmd->add_option("--max-file-size", load.max_file_bytes, "Skip files larger than this many bytes");
    cmd->add_option("--relevance", load.relevance, "auto (decide from the code), on or off")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    cmd->add_option("--log-file", log_file, "Write logs to FILE instead of stderr");
    cmd->add_option("--log-level", log_level, "Log level (env MLAUDIT_LOG)");
  };

  mlaudit::cli::CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", "Report checklist gaps in PATH (a folder or a file)");
  check_cmd->add_option("path", check.workspace.path, "Workspace folder or file (default: .)");
  check_cmd->add_option("--format", check.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_option("--fail-on", check.fail_on, "Exit 1 when a finding at or above this severity exists "
                                                    "(Critical, High, Medium, Low, Info, never; default High)");
  check_cmd->add_flag("--fix", check.fix, "Apply the safe quick fixes to the files, then report what remains");
  add_workspace_options(check_cmd, check.workspace);

  mlaudit::cli::AuditOptions audit;
  auto* audit_cmd = app.add_subcommand("audit", "Write the filled-in AI/ML Infrastructure Audit of PATH");
  audit_cmd->add_option("path", audit.workspace.path, "Workspace folder (default: .)");
  audit_cmd->add_option("--format", audit.format, "md, json or html")->check(CLI::IsMember({"md", "json", "html"}));
  audit_cmd->add_option("-o,--output", audit.output, "Write the report to FILE instead of stdout");
  add_workspace_options(audit_cmd, audit.workspace);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage errors
  }

  if (*serve) {
    setup_logging(log_file, log_level);
    if (const char* delay = std::getenv("MLAUDIT_TEST_DELAY_MS")) server.test_delay_ms = std::atoi(delay);
    int status = mlaudit::lsp::run_server(server, STDIN_FILENO, STDOUT_FILENO);
    spdlog::shutdown();
    std::_Exit(status);
  }
  setup_logging(log_file, log_level.empty() && !std::getenv("MLAUDIT_LOG") ? "warn" : log_level);
  if (*audit_cmd) return mlaudit::cli::run_audit(audit);
  return mlaudit::cli::run_check(check);
}
