-- Typing in a buffer sends incremental changes, and the diagnostics follow the edited text.
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")

-- Records the contentChanges of every didChange the client sends from now on.
local function record_changes(client)
  local changes = {}
  local notify = client.notify
  client.notify = function(...)
    local args = { ... }
    local first = type(args[1]) == "table" and 2 or 1 -- client:notify() in Neovim 0.11+
    if args[first] == "textDocument/didChange" then
      vim.list_extend(changes, args[first + 1].contentChanges)
    end
    return notify(...)
  end
  return changes
end

local function open_attached(text)
  local root = T.project({ ["app.py"] = text })
  require("loopsafe").setup({ cmd = T.server_cmd() })
  local buf = T.open(root .. "/app.py")
  -- Typed text below spells out its indentation.
  vim.bo[buf].autoindent = false
  T.wait_for("the server to attach", function()
    local client = T.client_of(buf)
    return client and client.initialized
  end)
  return buf, T.client_of(buf)
end

local function all_ranged(changes)
  for _, change in ipairs(changes) do
    if change.range == nil then
      return false
    end
  end
  return #changes > 0
end

T.test("editing away the blocking call clears its diagnostic, with ranged changes only", function()
  local buf, client = open_attached(T.SLEEPY)
  T.wait_for_codes(buf, { "ASYNC251" })
  local changes = record_changes(client)
  vim.api.nvim_win_set_cursor(0, { 5, 4 })
  vim.cmd("normal! Cawait asyncio.sleep(1)")
  T.eq("    await asyncio.sleep(1)", vim.api.nvim_buf_get_lines(buf, 4, 5, true)[1], "edited line")
  T.wait_for_codes(buf, {})
  T.truthy(all_ranged(changes), "every change carries a range (incremental sync): " .. vim.inspect(changes))
end)

T.test("a blocking call typed mid-file is reported on its line, and undo brings back the old state", function()
  local text = table.concat({
    "import time",
    "",
    "",
    "async def handler() -> None:",
    "    await other()",
    "",
    "",
    "async def other() -> None:",
    "    pass",
    "",
  }, "\n")
  local buf, client = open_attached(text)
  T.wait_for_publish(buf)
  T.eq({}, T.diagnostics(buf), "diagnostics before the edit")
  local changes = record_changes(client)
  vim.api.nvim_win_set_cursor(0, { 5, 0 })
  vim.cmd("normal! o    time.sleep(5)")
  T.wait_for_codes(buf, { "ASYNC251" })
  local d = T.diagnostics(buf)[1]
  T.eq({ 5, 4, 14 }, { d.lnum, d.col, d.end_col }, "position of the new call")

  vim.cmd("silent normal! u")
  T.eq(text, T.text(buf), "text after undo")
  T.wait_for_codes(buf, {})
  vim.cmd("silent redo")
  T.wait_for_codes(buf, { "ASYNC251" })
  T.eq(5, T.diagnostics(buf)[1].lnum, "line after redo")
  T.truthy(all_ranged(changes), "every change carries a range (incremental sync): " .. vim.inspect(changes))
end)

T.test("joining and splitting lines keeps the server's text in step", function()
  local text = "import time\n\n\nasync def handler() -> None:\n    time.sleep(1); x = 1\n"
  local buf = open_attached(text)
  T.wait_for_codes(buf, { "ASYNC251" })
  -- Split the call off its line, then delete the line with the call: the server must see the same
  -- text as the buffer for the finding to go away.
  vim.api.nvim_win_set_cursor(0, { 5, T.byte_col(buf, 4, " x = 1") })
  vim.cmd("normal! s\r    ")
  T.eq({ "    time.sleep(1);", "    x = 1" }, vim.api.nvim_buf_get_lines(buf, 4, 6, true), "after the split")
  T.wait_for("the diagnostic to stay on line 5", function()
    local d = T.diagnostics(buf)
    return #d == 1 and d[1].lnum == 4
  end)
  vim.api.nvim_win_set_cursor(0, { 5, 0 })
  vim.cmd("normal! dd")
  T.eq("    x = 1", vim.api.nvim_buf_get_lines(buf, 4, 5, true)[1], "line 5 after dd")
  T.wait_for_codes(buf, {})
end)

T.run()
