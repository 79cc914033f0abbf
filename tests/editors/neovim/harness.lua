-- A small test runner for headless Neovim. A test file registers cases with T.test and ends with
-- T.run(), which runs each case, cleans up after it (servers stopped, buffers wiped), prints one line
-- per case plus "N passed, N failed", and exits non-zero when a case failed.
--
-- Environment: LOOPSAFE_BIN (the server binary), LOOPSAFE_TEST_DIR (an empty scratch directory).
local T = {}

local cases = {}
local notifications = {}
local publishes = {} -- uri -> how many publishDiagnostics arrived for it
local real_notify = vim.notify
local real_select = vim.ui.select

T.WAIT_MS = 10000

T.SLEEPY = "import time\n\n\nasync def handler() -> None:\n    time.sleep(1)\n"
T.SLEEPY_FIXED = "import time\nimport asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n"

function T.test(name, fn)
  table.insert(cases, { name = name, fn = fn })
end

local function out(text)
  io.stdout:write(text .. "\n")
  io.stdout:flush()
end

function T.fail(message)
  error(message, 2)
end

function T.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(
      string.format("%s:\n  expected: %s\n  actual:   %s", what or "values differ", vim.inspect(expected), vim.inspect(actual)),
      2
    )
  end
end

function T.truthy(value, what)
  if not value then
    error((what or "expected a true value") .. ", got " .. vim.inspect(value), 2)
  end
  return value
end

-- Waits until `condition()` returns a true value and returns that value; fails naming `what` when
-- it does not come within T.WAIT_MS, with `describe()` (if given) saying what there was instead.
function T.wait_for(what, condition, describe)
  local result
  local ok = vim.wait(T.WAIT_MS, function()
    result = condition()
    return result
  end, 10)
  if not ok then
    local seen = describe and ("; last seen: " .. vim.inspect(describe())) or ""
    error("timed out after " .. T.WAIT_MS .. " ms waiting for " .. what .. seen, 2)
  end
  return result
end

-- Lets `ms` pass with the event loop running, for checks that something does *not* happen.
function T.settle(ms)
  vim.wait(ms, function()
    return false
  end, 10)
end

function T.server_cmd()
  local bin = os.getenv("LOOPSAFE_BIN")
  if bin == nil or bin == "" then
    error("LOOPSAFE_BIN is not set: it must name the loopsafe binary")
  end
  return { bin, "server" }
end

local scratch_count = 0

-- A fresh directory holding `files` ({ ["relative/path"] = "text" }; a value of true makes a
-- directory). Returns its absolute path.
function T.project(files)
  scratch_count = scratch_count + 1
  local base = os.getenv("LOOPSAFE_TEST_DIR")
  if base == nil or base == "" then
    error("LOOPSAFE_TEST_DIR is not set")
  end
  local root = base .. "/case" .. scratch_count
  vim.fn.mkdir(root, "p")
  for path, text in pairs(files or {}) do
    local full = root .. "/" .. path
    if text == true then
      vim.fn.mkdir(full, "p")
    else
      vim.fn.mkdir(vim.fn.fnamemodify(full, ":h"), "p")
      local file = assert(io.open(full, "wb"))
      file:write(text)
      file:close()
    end
  end
  return root
end

function T.open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

-- The buffer's text as a file would hold it.
function T.text(bufnr)
  local lines = vim.api.nvim_buf_get_lines(bufnr or 0, 0, -1, true)
  return table.concat(lines, "\n") .. "\n"
end

function T.loopsafe_clients()
  local found = {}
  for _, client in ipairs(vim.lsp.get_active_clients()) do
    if client.name == "loopsafe" then
      table.insert(found, client)
    end
  end
  return found
end

function T.client_of(bufnr)
  for _, client in ipairs(T.loopsafe_clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return nil
end

-- The diagnostics of a buffer reduced to what a user sees: code, source, line, columns, message.
function T.diagnostics(bufnr)
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(seen, {
      code = d.code,
      source = d.source,
      lnum = d.lnum,
      col = d.col,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
    })
  end
  table.sort(seen, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return seen
end

function T.codes(bufnr)
  local codes = {}
  for _, d in ipairs(T.diagnostics(bufnr)) do
    table.insert(codes, d.code)
  end
  return codes
end

function T.wait_for_codes(bufnr, codes)
  return T.wait_for("diagnostics " .. vim.inspect(codes), function()
    return vim.deep_equal(T.codes(bufnr), codes)
  end, function()
    return T.diagnostics(bufnr)
  end)
end

-- How many times the server has published diagnostics for the buffer (an empty list counts).
function T.publish_count(bufnr)
  return publishes[vim.uri_from_bufnr(bufnr)] or 0
end

-- Waits for the server to publish diagnostics for the buffer, so "no diagnostics" is an answer and
-- not a server that has not spoken yet.
function T.wait_for_publish(bufnr, count)
  count = count or 1
  T.wait_for("diagnostics to be published", function()
    return T.publish_count(bufnr) >= count
  end)
end

-- Messages given to vim.notify during the current case.
function T.notifications()
  return notifications
end

-- The byte column of `needle` in line `lnum` (0-based), as Neovim counts columns.
function T.byte_col(bufnr, lnum, needle)
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, true)[1]
  local at = line:find(needle, 1, true)
  T.truthy(at, "`" .. needle .. "` in line " .. lnum)
  return at - 1
end

local function reset()
  local ids = {}
  for _, client in ipairs(vim.lsp.get_active_clients()) do
    table.insert(ids, client.id)
  end
  vim.lsp.stop_client(ids, true)
  vim.wait(3000, function()
    return #vim.lsp.get_active_clients() == 0
  end, 10)
  vim.cmd("silent! %bwipeout!")
  pcall(vim.api.nvim_del_augroup_by_name, "loopsafe")
  for _, command in ipairs({ "LoopsafeRestart", "LoopsafeFixAll" }) do
    pcall(vim.api.nvim_del_user_command, command)
  end
  -- Each case starts from a freshly loaded plugin.
  for name in pairs(package.loaded) do
    if name == "loopsafe" or name:match("^loopsafe%.") then
      package.loaded[name] = nil
    end
  end
  vim.g.loaded_loopsafe = nil
  vim.ui.select = real_select
  notifications = {}
  publishes = {}
end

local function tail_of_lsp_log(lines)
  local path = vim.lsp.get_log_path()
  local file = io.open(path, "r")
  if not file then
    return ""
  end
  local all = {}
  for line in file:lines() do
    table.insert(all, line)
  end
  file:close()
  local from = math.max(1, #all - lines + 1)
  return table.concat(all, "\n", from)
end

function T.run()
  vim.notify = function(message, level)
    -- Neovim 0.7 says this about a stopped client a buffer still talked to, in its own time: often
    -- about the previous case's clients, during the next case. It is not the plugin speaking.
    if type(message) == "string" and message:find("client has shut down after sending the message", 1, true) then
      return
    end
    table.insert(notifications, { message = message, level = level })
  end
  local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
    if result and result.uri then
      publishes[result.uri] = (publishes[result.uri] or 0) + 1
    end
    return publish(err, result, ctx, config)
  end
  vim.lsp.set_log_level("warn")
  local passed, failed = 0, 0
  for _, case in ipairs(cases) do
    reset()
    local ok, err = xpcall(case.fn, debug.traceback)
    if ok then
      passed = passed + 1
      out("ok - " .. case.name)
    else
      failed = failed + 1
      out("FAIL - " .. case.name .. "\n" .. tostring(err))
      if #notifications > 0 then
        out("notifications: " .. vim.inspect(notifications))
      end
      out("lsp.log (last lines):\n" .. tail_of_lsp_log(30))
    end
  end
  reset()
  vim.notify = real_notify
  out(string.format("%d passed, %d failed", passed, failed))
  vim.cmd(failed == 0 and "qall!" or "cquit! 1")
end

return T
