-- Opening Python files starts the server for their project and shows its diagnostics.
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")
local loopsafe = function()
  return require("loopsafe")
end

T.test("a blocking call is shown with its code, source, range and message", function()
  local root = T.project({ ["pyproject.toml"] = '[project]\nname = "svc"\n', ["app.py"] = T.SLEEPY })
  loopsafe().setup({ cmd = T.server_cmd() })
  local buf = T.open(root .. "/app.py")
  T.wait_for_codes(buf, { "ASYNC251" })
  local d = T.diagnostics(buf)[1]
  T.eq("loopsafe", d.source, "source")
  T.eq({ 4, 4, 14 }, { d.lnum, d.col, d.end_col }, "line, start and end column of `time.sleep`")
  T.eq(vim.diagnostic.severity.WARN, d.severity, "severity")
  T.truthy(d.message:find("`time.sleep()` blocks the event loop", 1, true), "message names the call: " .. d.message)
end)

T.test("a clean file has no diagnostics", function()
  local root = T.project({
    ["app.py"] = "import asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n",
  })
  loopsafe().setup({ cmd = T.server_cmd() })
  local buf = T.open(root .. "/app.py")
  T.wait_for_publish(buf)
  T.eq({}, T.diagnostics(buf), "diagnostics")
end)

T.test("columns after non-ASCII text are converted to Neovim's byte columns", function()
  local text = 'import time\n\n\nasync def handler() -> None:\n    x = "é😀"; time.sleep(2)\n'
  local root = T.project({ ["app.py"] = text })
  loopsafe().setup({ cmd = T.server_cmd() })
  local buf = T.open(root .. "/app.py")
  T.wait_for_codes(buf, { "ASYNC251" })
  local d = T.diagnostics(buf)[1]
  local col = T.byte_col(buf, 4, "time.sleep")
  T.eq({ col, col + #"time.sleep" }, { d.col, d.end_col }, "byte columns of `time.sleep`")
end)

T.test("files of one project share a server rooted at the nearest pyproject.toml or .git", function()
  local root = T.project({
    [".git"] = true,
    ["tool.py"] = T.SLEEPY,
    ["svc/pyproject.toml"] = '[project]\nname = "svc"\n',
    ["svc/app.py"] = T.SLEEPY,
    ["svc/pkg/db.py"] = T.SLEEPY,
  })
  local lone = T.project({ ["script.py"] = T.SLEEPY })
  loopsafe().setup({ cmd = T.server_cmd() })
  local app = T.open(root .. "/svc/app.py")
  local db = T.open(root .. "/svc/pkg/db.py")
  local tool = T.open(root .. "/tool.py")
  local script = T.open(lone .. "/script.py")
  for _, buf in ipairs({ app, db, tool, script }) do
    T.wait_for_codes(buf, { "ASYNC251" })
  end
  T.eq(T.client_of(app).id, T.client_of(db).id, "one server for svc/app.py and svc/pkg/db.py")
  T.eq(root .. "/svc", T.client_of(app).config.root_dir, "root of svc/app.py")
  T.eq(root, T.client_of(tool).config.root_dir, "root of tool.py (the .git directory)")
  T.eq(lone, T.client_of(script).config.root_dir, "root of a file with no marker above it")
  T.eq(3, #T.loopsafe_clients(), "servers running")
end)

T.test("buffers that are not Python get no server", function()
  local root = T.project({ ["notes.txt"] = "time.sleep(1)\n", ["app.py"] = T.SLEEPY })
  loopsafe().setup({ cmd = T.server_cmd() })
  local notes = T.open(root .. "/notes.txt")
  T.settle(300)
  T.eq({}, T.loopsafe_clients(), "servers started for a text file")
  T.eq(nil, T.client_of(notes), "client of notes.txt")
end)

T.test("a missing server binary is reported once, not per buffer", function()
  local root = T.project({ ["a.py"] = T.SLEEPY, ["b.py"] = T.SLEEPY })
  loopsafe().setup({ cmd = { root .. "/no-such-loopsafe", "server" } })
  T.open(root .. "/a.py")
  T.open(root .. "/b.py")
  T.settle(200)
  local messages = T.notifications()
  T.eq(1, #messages, "notifications: " .. vim.inspect(messages))
  T.truthy(messages[1].message:find("no-such-loopsafe", 1, true), "the message names the command")
  T.eq(vim.log.levels.ERROR, messages[1].level, "level")
end)

T.test("setup() called after a Python file is open (lazy loading) attaches that buffer", function()
  local root = T.project({ ["app.py"] = T.SLEEPY })
  local buf = T.open(root .. "/app.py")
  T.eq("python", vim.bo[buf].filetype, "filetype")
  loopsafe().setup({ cmd = T.server_cmd() })
  T.wait_for_codes(buf, { "ASYNC251" })
end)

T.test("hover on a flagged call opens a float that explains it", function()
  local root = T.project({ ["app.py"] = T.SLEEPY })
  loopsafe().setup({ cmd = T.server_cmd() })
  local buf = T.open(root .. "/app.py")
  T.wait_for_codes(buf, { "ASYNC251" })
  vim.api.nvim_win_set_cursor(0, { 5, 6 })
  vim.lsp.buf.hover()
  local text = T.wait_for("a hover window", function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= "" then
        return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, true), "\n")
      end
    end
  end)
  T.truthy(text:find("ASYNC251", 1, true) and text:find("asyncio.sleep", 1, true), "hover text: " .. text)
end)

T.run()
