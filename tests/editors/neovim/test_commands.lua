-- :LoopsafeFixAll and :LoopsafeRestart, and settings given to setup() or changed while running.
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")

local MIXED = table.concat({
  "import time",
  "",
  "import requests",
  "",
  "",
  "async def handler(url: str) -> None:",
  "    time.sleep(1)",
  '    x = "é😀"; time.sleep(2)',
  "    requests.get(url)",
  "",
}, "\n")

local function open(text, opts)
  local root = T.project({ ["app.py"] = text })
  require("loopsafe").setup(vim.tbl_extend("force", { cmd = T.server_cmd() }, opts or {}))
  local buf = T.open(root .. "/app.py")
  vim.bo[buf].autoindent = false
  return buf
end

-- What `loopsafe check --fix` makes of `text`.
local function cli_fix(text)
  local path = T.project({ ["app.py"] = text }) .. "/app.py"
  vim.fn.system({ T.server_cmd()[1], "check", "--fix", path })
  local file = assert(io.open(path, "rb"))
  local fixed = file:read("*a")
  file:close()
  T.truthy(fixed ~= text, "loopsafe check --fix changed nothing")
  return fixed
end

T.test(":LoopsafeFixAll applies the safe fixes, the same as loopsafe check --fix", function()
  local buf = open(MIXED)
  T.wait_for_codes(buf, { "ASYNC251", "ASYNC251", "ASYNC210" })
  vim.cmd("LoopsafeFixAll")
  local fixed = T.text(buf)
  T.eq(cli_fix(MIXED), fixed, "text after :LoopsafeFixAll")
  local _, sleeps = fixed:gsub("await asyncio%.sleep%(", "")
  T.eq(2, sleeps, "time.sleep calls rewritten")
  T.truthy(fixed:find("    requests.get(url)\n", 1, true), "the unsafe to_thread fix is left out")
  T.wait_for_codes(buf, { "ASYNC210" })
end)

T.test(":LoopsafeFixAll right after typing fixes the text as typed", function()
  local buf = open(T.SLEEPY)
  T.wait_for_codes(buf, { "ASYNC251" })
  vim.api.nvim_win_set_cursor(0, { 5, 0 })
  vim.cmd("normal! o    time.sleep(3)")
  vim.cmd("LoopsafeFixAll")
  T.eq(T.SLEEPY_FIXED .. "    await asyncio.sleep(3)\n", T.text(buf), "text")
end)

T.test(":LoopsafeFixAll on a clean buffer changes nothing and says so", function()
  local clean = "import asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n"
  local buf = open(clean)
  T.wait_for("the server to attach", function()
    return T.client_of(buf) and T.client_of(buf).initialized
  end)
  vim.cmd("LoopsafeFixAll")
  T.eq(clean, T.text(buf), "text")
  T.eq(false, vim.bo[buf].modified, "buffer modified")
  T.eq({ { message = "loopsafe: nothing to fix", level = vim.log.levels.INFO } }, T.notifications(), "notifications")
end)

T.test(":LoopsafeFixAll where no server is attached warns and changes nothing", function()
  local root = T.project({ ["notes.txt"] = "time.sleep(1)\n" })
  require("loopsafe").setup({ cmd = T.server_cmd() })
  local buf = T.open(root .. "/notes.txt")
  vim.cmd("LoopsafeFixAll")
  T.eq("time.sleep(1)\n", T.text(buf), "text")
  T.eq({ { message = "loopsafe: no loopsafe server is attached to this buffer", level = vim.log.levels.WARN } },
    T.notifications(), "notifications")
end)

T.test(":LoopsafeRestart replaces the server and the diagnostics come back", function()
  local buf = open(T.SLEEPY)
  T.wait_for_codes(buf, { "ASYNC251" })
  local old = T.client_of(buf)
  local old_pid = old.rpc.pid
  vim.cmd("LoopsafeRestart")
  T.eq(nil, vim.lsp.get_client_by_id(old.id), "the old client after the restart")
  T.truthy(type(old_pid) == "number", "pid of the old server: " .. vim.inspect(old_pid))
  T.eq(false, vim.loop.kill(old_pid, 0) == 0, "the old server process is still alive")
  local new = T.wait_for("a new client on the buffer", function()
    return T.client_of(buf)
  end)
  T.truthy(new.id ~= old.id, "a new client id")
  T.eq(1, #T.loopsafe_clients(), "servers running")
  -- The diagnostics of the old server were cleared on exit; these come from the new one.
  T.wait_for_codes(buf, { "ASYNC251" })
end)

T.test("settings given to setup() reach the server", function()
  local buf = open(MIXED, { settings = { ignore = { "ASYNC251" } } })
  T.wait_for_publish(buf)
  T.eq({ "ASYNC210" }, T.codes(buf), "codes with ignore = ASYNC251")
end)

T.test("set_settings() changes what a running server reports", function()
  local buf = open(MIXED, { settings = { select = { "ASYNC251" } } })
  T.wait_for_codes(buf, { "ASYNC251", "ASYNC251" })
  require("loopsafe").set_settings({ select = { "ASYNC210" } })
  T.wait_for_codes(buf, { "ASYNC210" })
  require("loopsafe").set_settings({ enable = false })
  T.wait_for_codes(buf, {})
end)

T.run()
