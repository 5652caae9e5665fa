-- Driven by run_plugin_test.sh: Neovim headless loads editors/nvim from the repository (runtimepath),
-- calls require("mlaudit").setup(), opens a training script and a requirements file of a copy of
-- examples/research-project, and checks what a user would see. Writes "PASSED" or the failures to
-- $MLAUDIT_TEST_OUT, then quits.
local out = os.getenv("MLAUDIT_TEST_OUT")
local workspace = os.getenv("MLAUDIT_TEST_WORKSPACE")
local failures = {}

local function fail(msg)
  table.insert(failures, msg)
end

local function finish()
  local f = io.open(out, "w")
  f:write(#failures == 0 and "PASSED\n" or table.concat(failures, "\n") .. "\n")
  f:close()
  vim.cmd(#failures == 0 and "qall!" or "cquit! 1")
end

local function mlaudit_diagnostics(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == "mlaudit" then
      table.insert(found, d)
    end
  end
  return found
end

local function codes(diagnostics)
  local set = {}
  for _, d in ipairs(diagnostics) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    set[code] = true
  end
  return set
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local ok, err = pcall(function()
  require("mlaudit").setup({ cmd = { os.getenv("MLAUDIT_BIN"), "server" } })

  -- 1. A training script: the server starts, rooted at the project, and its diagnostics arrive.
  vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/src/train.py"))
  local train = vim.api.nvim_get_current_buf()
  if vim.bo[train].filetype ~= "python" then
    fail("train.py has filetype " .. vim.bo[train].filetype)
  end
  if not vim.wait(20000, function() return #mlaudit_diagnostics(train) >= 5 end, 50) then
    fail("train.py: expected mlaudit diagnostics, got " .. vim.inspect(mlaudit_diagnostics(train)))
  end
  local train_codes = codes(mlaudit_diagnostics(train))
  for _, code in ipairs({ "hardcoded-secret", "trust-remote-code", "unsafe-deserialization", "seed-not-set" }) do
    if not train_codes[code] then
      fail("train.py: no " .. code .. " diagnostic; got " .. vim.inspect(vim.tbl_keys(train_codes)))
    end
  end
  local client = require("mlaudit").client(train)
  if not client then
    fail("no mlaudit client attached to train.py")
  elseif client.config.root_dir ~= workspace then
    fail("root_dir is " .. tostring(client.config.root_dir) .. ", expected " .. workspace .. " (requirements.txt above src/)")
  end

  -- 2. requirements.txt: the plugin gives it a filetype, the same client serves it.
  vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/requirements.txt"))
  local reqs = vim.api.nvim_get_current_buf()
  if vim.bo[reqs].filetype ~= "requirements" then
    fail("requirements.txt has filetype '" .. vim.bo[reqs].filetype .. "', expected 'requirements'")
  end
  if not vim.wait(20000, function() return codes(mlaudit_diagnostics(reqs))["unpinned-dependency"] end, 50) then
    fail("requirements.txt: no unpinned-dependency diagnostic: " .. vim.inspect(mlaudit_diagnostics(reqs)))
  end
  local mlaudit_clients = 0
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.name == "mlaudit" then
      mlaudit_clients = mlaudit_clients + 1
    end
  end
  if mlaudit_clients ~= 1 then
    fail("expected one mlaudit client for the project, found " .. mlaudit_clients)
  end

  -- 3. :MlauditAudit opens the Markdown report in a split.
  vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/src/train.py"))
  local windows = #vim.api.nvim_tabpage_list_wins(0)
  local done = false
  vim.api.nvim_create_autocmd("User", { pattern = "MlauditAuditDone", callback = function() done = true end })
  vim.cmd("MlauditAudit")
  if not vim.wait(30000, function() return done end, 50) then
    fail(":MlauditAudit produced no report within 30 s")
  else
    local report = vim.api.nvim_get_current_buf()
    local text = buffer_text(report)
    if #vim.api.nvim_tabpage_list_wins(0) ~= windows + 1 then
      fail(":MlauditAudit did not open a split")
    end
    if vim.bo[report].filetype ~= "markdown" then
      fail("report buffer filetype is " .. vim.bo[report].filetype)
    end
    if not text:find("**Overall AI/ML Maturity Score**:", 1, true) or not text:find("Maturity Level Assessment", 1, true) then
      fail("the report has no maturity summary:\n" .. text:sub(1, 2000))
    end
    if text:find("4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u", 1, true) then
      fail("the report shows the secret unmasked")
    end
  end

  -- 4. :checkhealth mlaudit reports the command, the version and the running server as OK.
  vim.cmd("checkhealth mlaudit")
  local health = buffer_text(vim.api.nvim_get_current_buf())
  for _, expected in ipairs({ "OK: server command: ", "OK: mlaudit --version: ", "OK: server running" }) do
    if not health:find(expected, 1, true) then
      fail("checkhealth has no '" .. expected .. "' line:\n" .. health)
    end
  end
  if health:find("ERROR", 1, true) then
    fail("checkhealth reports an error:\n" .. health)
  end
end)
if not ok then
  fail("error: " .. tostring(err))
end
finish()
