-- What every way of starting loopsafe shares: the command, the file types, the root markers, and the
-- client hooks. `setup()`, `lsp/loopsafe.lua` (vim.lsp.config) and the nvim-lspconfig entry all build
-- on this table, so the three cannot drift apart.
local M = {}

M.name = "loopsafe"
M.cmd = { "loopsafe", "server" }
M.filetypes = { "python" }
M.root_markers = { "pyproject.toml", ".git" }

local uv = vim.uv or vim.loop

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function parent(dir)
  local up = dir:match("^(.*)/[^/]+/?$")
  if up == nil then
    return nil
  end
  return up == "" and "/" or up
end

-- The nearest directory at or above `path` that holds one of `markers`, or `path`'s own directory:
-- a lone script still gets a server, and a monorepo's packages each get the pyproject.toml beside them.
-- Written out by hand because vim.fs.root and vim.fs.find are newer than Neovim 0.7.
function M.find_root(path, markers)
  markers = markers or M.root_markers
  path = vim.fn.fnamemodify(path, ":p")
  local start = vim.fn.isdirectory(path) == 1 and path:gsub("/$", "") or vim.fn.fnamemodify(path, ":h")
  if start == "" then
    start = "/"
  end
  local dir = start
  while dir do
    for _, marker in ipairs(markers) do
      if exists((dir == "/" and "" or dir) .. "/" .. marker) then
        return dir
      end
    end
    dir = parent(dir)
  end
  return start
end

-- The server answers initialize with the position encoding it chose (LSP 3.17). Neovim before 0.10
-- does not read that field, and every position it converts (edits it sends, diagnostics, workspace
-- edits it applies) goes through client.offset_encoding, so adopt the server's choice before the
-- first notification.
function M.on_init(client, result)
  local chosen = result and result.capabilities and result.capabilities.positionEncoding
  if chosen == "utf-8" or chosen == "utf-16" or chosen == "utf-32" then
    client.offset_encoding = chosen
  end
end

-- The server reads its settings from initializationOptions, and answers to workspace/configuration
-- (section "loopsafe") override them. Both come from `settings.loopsafe`, so users set them once.
function M.before_init(params, config)
  local settings = config.settings and config.settings.loopsafe
  if type(settings) == "table" then
    params.initializationOptions = settings
  end
end

return M
