-- apply_fix.lua: a quick fix applied through Neovim's own LSP client (headless, >= 0.7).
-- Opens NVIM_FIX_FILE, waits for mlaudit's diagnostics, puts the cursor on NVIM_FIX_LINE
-- (1-based), runs vim.lsp.buf.code_action() and answers its vim.ui.select with the action
-- whose title starts with NVIM_FIX_TITLE (0.7's code_action has no `apply` option), then
-- waits until the server republishes for the edited buffer. Writes to NVIM_FIX_OUT a JSON
-- object {"text": buffer text, "codes": [[line, code], ...] of the diagnostics after the edit,
-- "offered": titles shown}. Exit: 0 done, 2 timeout, 3 failure.
local out_path = assert(os.getenv("NVIM_FIX_OUT"))
local function finish(status, record)
  local f = assert(io.open(out_path, "w"))
  f:write(vim.json.encode(record or {}), "\n")
  f:close()
  vim.cmd(status == 0 and "qall!" or ("cquit " .. status))
end

local ok, err = pcall(function()
  local path, line, title = os.getenv("NVIM_FIX_FILE"), tonumber(os.getenv("NVIM_FIX_LINE")), os.getenv("NVIM_FIX_TITLE")
  local state = { versions = {}, raw = {}, exited = false }
  local client_id = vim.lsp.start_client({
    name = "mlaudit",
    cmd = { "/bin/sh", "-c", "exec " .. os.getenv("NVIM_FIX_SERVER") },
    root_dir = os.getenv("NVIM_FIX_ROOT"),
    handlers = {
      ["textDocument/publishDiagnostics"] = function(e, result, ctx, config)
        state.raw = result.diagnostics
        state.version = result.version
        return vim.lsp.diagnostic.on_publish_diagnostics(e, result, ctx, config)
      end,
    },
    on_exit = function() state.exited = true end,
  })
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  if not vim.wait(20000, function() return #state.raw > 0 end, 20) then return finish(2, { error = "no diagnostics" }) end
  local before = state.version
  vim.api.nvim_win_set_cursor(0, { line, 12 })

  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for index, item in ipairs(items) do
      local action = item[2] or item.action or item
      table.insert(offered, action.title)
    end
    for index, item in ipairs(items) do
      local action = item[2] or item.action or item
      if action.title:sub(1, #title) == title then return on_choice(item, index) end
    end
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  local edited = vim.wait(15000, function()
    return state.version ~= nil and state.version ~= before
  end, 20)
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
  local codes = {}
  for _, d in ipairs(state.raw) do table.insert(codes, { d.range.start.line, d.code }) end
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return state.exited end, 50)
  finish(edited and 0 or 2, { text = text, codes = codes, offered = offered })
end)
if not ok then finish(3, { error = tostring(err) }) end
