-- :checkhealth mlaudit. Neovim 0.7 has no vim.health: its require('health') has report_*;
-- 0.8 has vim.health.report_*; 0.9+ has vim.health.start/ok/... (report_* later removed).
local M = {}

local function reporter()
  local h = vim.health or require("health")
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
    info = h.info or h.report_info,
  }
end

function M.check()
  local report = reporter()
  local mlaudit = require("mlaudit")
  report.start("mlaudit")

  if vim.fn.has("nvim-0.7") == 1 then
    report.ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. " (0.7 or later)")
  else
    report.error("Neovim 0.7 or later is required")
  end

  local cmd = mlaudit.config.cmd
  local exe = cmd[1]
  if vim.fn.executable(exe) ~= 1 then
    report.error("the server command is not executable: " .. exe,
      { "Put mlaudit on PATH, or pass setup({ cmd = { '/path/to/mlaudit', 'server' } })" })
    return
  end
  report.ok("server command: " .. table.concat(cmd, " ") .. " (" .. vim.fn.exepath(exe) .. ")")

  local version = vim.fn.system({ exe, "--version" })
  if vim.v.shell_error == 0 then
    report.ok("mlaudit --version: " .. vim.trim(version))
  else
    report.error("`" .. exe .. " --version` failed: " .. vim.trim(version))
  end

  local clients = {}
  for _, client in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    if client.name == "mlaudit" then
      table.insert(clients, client)
    end
  end
  if #clients == 0 then
    report.info("no mlaudit server running (it starts when a Python, requirements or pyproject.toml buffer opens)")
  end
  for _, client in ipairs(clients) do
    report.ok("server running (client " .. client.id .. ") for " .. tostring(client.config.root_dir))
  end
end

return M
