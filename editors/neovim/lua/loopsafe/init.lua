-- loopsafe for Neovim: starts `loopsafe server` for Python buffers, one server per project root, and
-- offers :LoopsafeFixAll and :LoopsafeRestart. Runs on Neovim 0.7 (vim.lsp.start_client plus
-- buf_attach_client) and hands client reuse to vim.lsp.start where it exists (0.8+).
local config = require("loopsafe.config")

local M = {}

local defaults = {
  cmd = config.cmd,
  filetypes = config.filetypes,
  root_markers = config.root_markers,
  -- Sent as initializationOptions and answered to workspace/configuration (section "loopsafe").
  settings = {},
  capabilities = nil,
  flags = nil,
  on_attach = nil,
  -- How long :LoopsafeFixAll waits for the server's edit, and :LoopsafeRestart for the old server.
  timeout_ms = 5000,
}

local options = nil
-- Neovim 0.7 has no vim.lsp.start to find the running client of a root.
local clients_by_root = {}

local has_011 = vim.fn.has("nvim-0.11") == 1

-- Client methods became `client:method()` in 0.11, which warns about the old `client.method()`.
local function client_call(client, method, ...)
  if has_011 then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function resolve_buf(bufnr)
  if bufnr == nil or bufnr == 0 then
    return vim.api.nvim_get_current_buf()
  end
  return bufnr
end

local function notify(message, level)
  vim.notify("loopsafe: " .. message, level or vim.log.levels.INFO)
end

local function running_clients()
  local found = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, client in ipairs(all) do
    if client.name == config.name then
      table.insert(found, client)
    end
  end
  return found
end

local function attached_client(bufnr)
  for _, client in ipairs(running_clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return nil
end

-- The configuration a new client starts from: setup()'s options, or on Neovim 0.11+ without setup()
-- what vim.lsp.config holds for "loopsafe" (lsp/loopsafe.lua plus the user's overrides).
local function base_config()
  if options then
    return {
      name = config.name,
      cmd = options.cmd,
      filetypes = options.filetypes,
      root_markers = options.root_markers,
      settings = { loopsafe = options.settings },
      capabilities = options.capabilities,
      flags = options.flags or {},
      before_init = config.before_init,
      on_init = config.on_init,
      on_attach = options.on_attach,
    }
  end
  if vim.lsp.config and vim.lsp.config[config.name] then
    return vim.tbl_extend("force", vim.lsp.config[config.name], { name = config.name })
  end
  return nil
end

local warned_missing = false

--- Starts (or reuses) the server for the project of buffer `bufnr` and attaches it. Returns the
--- client id, or nil for buffers that are not files on disk.
function M.start(bufnr)
  bufnr = resolve_buf(bufnr)
  local base = base_config()
  if base == nil then
    notify('call require("loopsafe").setup() first', vim.log.levels.ERROR)
    return nil
  end
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil
  end
  -- (0.11 also allows a function as cmd, which has nothing to look up.)
  if type(base.cmd) == "table" and vim.fn.executable(base.cmd[1]) == 0 then
    -- Once: every Python buffer would repeat it.
    if not warned_missing then
      warned_missing = true
      notify(
        "cannot run `" .. base.cmd[1] .. "`: put loopsafe on PATH or pass `cmd` to setup()",
        vim.log.levels.ERROR
      )
    end
    return nil
  end

  local client_config = vim.tbl_extend("force", base, { root_dir = config.find_root(name, base.root_markers) })
  client_config.filetypes = nil
  client_config.root_markers = nil
  if vim.lsp.start then
    -- Neovim 0.8's vim.lsp.start attaches the current buffer and ignores opts.bufnr.
    return vim.api.nvim_buf_call(bufnr, function()
      return vim.lsp.start(client_config, { bufnr = bufnr })
    end)
  end

  local root = client_config.root_dir
  local id = clients_by_root[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(client_config)
    if id == nil then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Asks the server for every safe fix in the buffer (code action kind source.fixAll.loopsafe, the
--- same fixes as `loopsafe check --fix`) and applies them. Returns true when the buffer changed.
function M.fix_all(bufnr)
  bufnr = resolve_buf(bufnr)
  local client = attached_client(bufnr)
  if client == nil then
    notify("no loopsafe server is attached to this buffer", vim.log.levels.WARN)
    return false
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = 0, character = 0 },
      ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 },
    },
    context = { only = { "source.fixAll.loopsafe" }, diagnostics = {} },
  }
  local timeout = (options or defaults).timeout_ms
  local response, err = client_call(client, "request_sync", "textDocument/codeAction", params, timeout, bufnr)
  if response == nil or response.err then
    local reason = response and response.err and response.err.message or err or "no answer"
    notify("fix all failed: " .. tostring(reason), vim.log.levels.ERROR)
    return false
  end
  local applied = false
  for _, action in ipairs(response.result or {}) do
    if action.kind == "source.fixAll.loopsafe" and action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      applied = true
    end
  end
  if not applied then
    notify("nothing to fix")
  end
  return applied
end

--- Stops every loopsafe server and starts new ones for the buffers they served (after rebuilding
--- loopsafe, or calling setup() again with other options).
function M.restart()
  local base = base_config()
  if base == nil then
    notify("these servers were not started by this plugin: use :LspRestart", vim.log.levels.WARN)
    return
  end
  local buffers, stopping = {}, {}
  local ids = {}
  for _, client in ipairs(running_clients()) do
    ids[client.id] = true
  end
  -- Clients still initializing are not in the running list yet.
  for _, id in pairs(clients_by_root) do
    ids[id] = true
  end
  for id in pairs(ids) do
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.lsp.buf_is_attached(buf, id) then
        buffers[buf] = true
      end
    end
    table.insert(stopping, id)
    vim.lsp.stop_client(id)
  end
  clients_by_root = {}
  -- The old server must be gone first: vim.lsp.start would hand the buffers back to it.
  local function all_stopped()
    for _, id in ipairs(stopping) do
      if vim.lsp.get_client_by_id(id) ~= nil then
        return false
      end
    end
    return true
  end
  if not vim.wait((options or defaults).timeout_ms, all_stopped, 20) then
    vim.lsp.stop_client(stopping, true)
    vim.wait(1000, all_stopped, 20)
  end
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if
      vim.api.nvim_buf_is_loaded(buf)
      and (buffers[buf] or vim.tbl_contains(base.filetypes or config.filetypes, vim.bo[buf].filetype))
    then
      M.start(buf)
    end
  end
end

--- Replaces the settings of the running servers (and of servers started later). Keys left out keep
--- the value the server was started with.
function M.set_settings(settings)
  if options then
    options.settings = settings
  end
  for _, client in ipairs(running_clients()) do
    -- Neovim 0.10+ answers workspace/configuration from client.settings, older ones from client.config.
    client.config.settings = { loopsafe = settings }
    client.settings = client.config.settings
    client_call(client, "notify", "workspace/didChangeConfiguration", { settings = client.config.settings })
  end
end

function M.create_commands()
  vim.api.nvim_create_user_command("LoopsafeRestart", function()
    M.restart()
  end, { desc = "Restart the loopsafe language server" })
  vim.api.nvim_create_user_command("LoopsafeFixAll", function()
    M.fix_all(0)
  end, { desc = "Apply every safe loopsafe fix to this buffer" })
end

--- Options (all optional): cmd, filetypes, root_markers, settings, capabilities, flags, on_attach,
--- timeout_ms. See the README's Neovim section.
function M.setup(opts)
  options = vim.tbl_extend("force", defaults, opts or {})
  local group = vim.api.nvim_create_augroup("loopsafe", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = options.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  M.create_commands()
  -- Lazy-loading on `ft = "python"` calls setup() after the first buffer's FileType event.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(options.filetypes, vim.bo[buf].filetype) then
      M.start(buf)
    end
  end
end

return M
