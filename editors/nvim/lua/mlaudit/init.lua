-- mlaudit for Neovim: starts `mlaudit server` for Python, requirements, pyproject.toml and notebook
-- buffers, one client per project root, and adds :MlauditAudit (the workspace maturity report in a
-- split). Works on Neovim 0.7 (Debian 12) and later: vim.lsp.start where it exists (0.8+), else
-- vim.lsp.start_client + vim.lsp.buf_attach_client with our own per-root reuse.
local M = {}

local defaults = {
  -- The server command; `mlaudit` must be on PATH unless cmd names it.
  cmd = { "mlaudit", "server" },
  -- Sent as initializationOptions and answered to workspace/configuration (section "mlaudit"),
  -- e.g. { relevance = "on", targetLevel = 3 }. Project files (.mlaudit.yaml, [tool.mlaudit]) win.
  settings = {},
  filetypes = { "python", "requirements", "toml", "json", "javascript", "typescript", "javascriptreact", "typescriptreact" },
  -- Searched upward from the buffer's file, in this order: the first marker found gives the root.
  root_markers = { "pyproject.toml", ".git", "requirements.txt" },
  -- Give requirements*.txt (and requirements/*.txt, *.in) the `requirements` filetype when Neovim
  -- gives them none (0.7 has no such filetype; newer releases do).
  requirements_filetype = true,
}

M.config = vim.deepcopy(defaults)
local clients_by_root = {} -- 0.7 fallback: root -> client id

local function get_clients()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local out = {}
  for _, client in pairs(get()) do
    if client.name == "mlaudit" then
      table.insert(out, client)
    end
  end
  return out
end

local function dirname(path)
  return vim.fn.fnamemodify(path, ":h")
end

-- The root for a file: the nearest ancestor holding the first marker that exists at all.
function M.find_root(path)
  local start = dirname(vim.fn.fnamemodify(path, ":p"))
  for _, marker in ipairs(M.config.root_markers) do
    -- findfile/finddir with ";" search upward; .git is a folder, or a file in worktrees.
    local found = vim.fn.finddir(marker, vim.fn.fnameescape(start) .. ";")
    if found == "" then
      found = vim.fn.findfile(marker, vim.fn.fnameescape(start) .. ";")
    end
    if found ~= "" then
      return dirname(vim.fn.fnamemodify(found, ":p:s?/$??"))
    end
  end
  return start
end

-- Whether mlaudit should look at this buffer: the server picks its analyzer by file name.
local function wanted(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or vim.bo[bufnr].buftype ~= "" then
    return false
  end
  local tail = vim.fn.fnamemodify(name, ":t")
  local ft = vim.bo[bufnr].filetype
  if ft == "toml" then
    return tail == "pyproject.toml"
  end
  if ft == "json" then
    return tail:match("%.ipynb$") ~= nil
  end
  return true
end

local function client_config(root)
  return {
    name = "mlaudit",
    cmd = M.config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
    init_options = M.config.settings,
    settings = { mlaudit = M.config.settings },
  }
end

function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if not wanted(bufnr) then
    return
  end
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
  local config = client_config(root)
  if vim.lsp.start then
    vim.api.nvim_buf_call(bufnr, function()
      vim.lsp.start(config, { bufnr = bufnr })
    end)
    return
  end
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify("mlaudit: could not start " .. table.concat(M.config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- The mlaudit client of a buffer, else any running mlaudit client.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local clients = get_clients()
  for _, client in ipairs(clients) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return clients[1]
end

local function show_report(root, content)
  local name = "mlaudit://audit/" .. root
  local buf = vim.fn.bufnr("^" .. vim.fn.escape(name, "\\/.*$^~[]") .. "$")
  if buf == -1 then
    buf = vim.api.nvim_create_buf(true, true)
    vim.api.nvim_buf_set_name(buf, name)
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(content, "\n", { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd("botright split")
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  vim.api.nvim_exec_autocmds("User", { pattern = "MlauditAuditDone", modeline = false })
end

-- Runs the server command mlaudit.audit (design.md) and opens its Markdown report in a split.
function M.audit()
  local client = M.client()
  if not client then
    vim.notify("mlaudit: no mlaudit server is running (open a Python or requirements file first)", vim.log.levels.ERROR)
    return
  end
  local root = client.config.root_dir
  local params = { command = "mlaudit.audit", arguments = { { folder = vim.uri_from_fname(root), format = "md" } } }
  client.request("workspace/executeCommand", params, function(err, result)
    if err or type(result) ~= "table" or type(result.content) ~= "string" then
      vim.notify("mlaudit: audit failed: " .. (err and (err.message or vim.inspect(err)) or vim.inspect(result)),
        vim.log.levels.ERROR)
      return
    end
    show_report(root, result.content)
  end, vim.api.nvim_get_current_buf())
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  if type(M.config.cmd) == "string" then
    M.config.cmd = { M.config.cmd, "server" }
  end
  local group = vim.api.nvim_create_augroup("mlaudit", { clear = true })
  if M.config.requirements_filetype then
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = { "requirements*.txt", "*-requirements.txt", "*/requirements/*.txt", "requirements*.in", "constraints*.txt" },
      callback = function(args)
        local ft = vim.bo[args.buf].filetype
        if ft == "" or ft == "text" then
          vim.bo[args.buf].filetype = "requirements"
        end
      end,
    })
  end
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  vim.api.nvim_create_user_command("MlauditAudit", function()
    M.audit()
  end, { desc = "mlaudit: audit the workspace and show the maturity report" })
  -- Buffers opened before setup() ran.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      M.attach(buf)
    end
  end
end

return M
