-- The other ways to start loopsafe: lsp/loopsafe.lua (vim.lsp.config, Neovim 0.11+) and the
-- nvim-lspconfig entry. Where this Neovim lacks vim.lsp.config, the tables are handed to the client the
-- way those start them: a root from the markers, the user's fields over the defaults.
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")

local TWO_FINDINGS = "import time\n\nimport requests\n\n\nasync def handler(url: str) -> None:\n"
  .. "    time.sleep(1)\n    requests.get(url)\n"

local function project()
  return T.project({
    [".git"] = true,
    ["svc/pyproject.toml"] = '[project]\nname = "svc"\n',
    ["svc/pkg/app.py"] = TWO_FINDINGS,
  })
end

local USER = { settings = { loopsafe = { ignore = { "ASYNC210" } } } }

local function start_with(base, buf, root_dir)
  local client_config = vim.tbl_extend("force", base, USER, { name = "loopsafe", cmd = T.server_cmd(), root_dir = root_dir })
  client_config.filetypes, client_config.root_markers, client_config.single_file_support = nil, nil, nil
  vim.lsp.buf_attach_client(buf, T.truthy(vim.lsp.start_client(client_config), "client id"))
end

local function start_from_lsp_dir(root)
  local files = vim.api.nvim_get_runtime_file("lsp/loopsafe.lua", true)
  T.eq(1, #files, "lsp/loopsafe.lua files on the runtimepath")
  local base = dofile(files[1])
  T.eq({ "loopsafe", "server" }, base.cmd, "cmd")
  T.eq({ "python" }, base.filetypes, "filetypes")
  T.eq({ "pyproject.toml", ".git" }, base.root_markers, "root_markers")
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config("loopsafe", vim.tbl_extend("force", USER, { cmd = T.server_cmd() }))
    vim.lsp.enable("loopsafe")
    return T.open(root .. "/svc/pkg/app.py")
  end
  local buf = T.open(root .. "/svc/pkg/app.py")
  start_with(base, buf, require("loopsafe.config").find_root(vim.api.nvim_buf_get_name(buf), base.root_markers))
  return buf
end

T.test("lsp/loopsafe.lua starts a server with the user's settings and the project root", function()
  local root = project()
  local buf = start_from_lsp_dir(root)
  T.wait_for_codes(buf, { "ASYNC251" })
  T.eq(root .. "/svc", T.client_of(buf).config.root_dir, "root_dir")
end)

T.test("the nvim-lspconfig entry finds the root and starts a server with the user's settings", function()
  local root = project()
  local entry = require("loopsafe.lspconfig")
  local defaults = entry.default_config
  T.eq({ "python" }, defaults.filetypes, "filetypes")
  T.eq(root .. "/svc", defaults.root_dir(root .. "/svc/pkg/app.py"), "root_dir of svc/pkg/app.py")
  T.truthy(type(entry.docs.description) == "string", "docs.description")
  local buf = T.open(root .. "/svc/pkg/app.py")
  start_with(defaults, buf, defaults.root_dir(vim.api.nvim_buf_get_name(buf)))
  T.wait_for_codes(buf, { "ASYNC251" })
end)

T.test("plugin/loopsafe.lua gives :LoopsafeFixAll to a server started without setup()", function()
  vim.cmd("runtime plugin/loopsafe.lua")
  T.eq(2, vim.fn.exists(":LoopsafeFixAll"), ":LoopsafeFixAll exists")
  T.eq(2, vim.fn.exists(":LoopsafeRestart"), ":LoopsafeRestart exists")
  local root = project()
  local buf = start_from_lsp_dir(root)
  T.wait_for_codes(buf, { "ASYNC251" })
  vim.cmd("LoopsafeFixAll")
  T.truthy(T.text(buf):find("    await asyncio.sleep(1)\n", 1, true), "fixed text: " .. T.text(buf))
end)

T.test(":LoopsafeRestart without setup() before Neovim 0.11 leaves the server running and says why", function()
  if vim.lsp.config then
    return -- 0.11+ restarts from the vim.lsp.config entry instead
  end
  vim.cmd("runtime plugin/loopsafe.lua")
  local buf = start_from_lsp_dir(project())
  T.wait_for_codes(buf, { "ASYNC251" })
  local client = T.client_of(buf)
  vim.cmd("LoopsafeRestart")
  T.eq(client.id, T.client_of(buf).id, "client after :LoopsafeRestart")
  T.truthy(T.notifications()[1] and T.notifications()[1].message:find(":LspRestart", 1, true), "notification")
end)

T.run()
