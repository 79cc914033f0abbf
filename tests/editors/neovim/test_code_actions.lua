-- Quick fixes picked through vim.lsp.buf.code_action(), the way a user picks them from the menu.
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")

-- Replaces the selection menu: records what was offered and picks the entry `choose` returns.
local function pick(choose)
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    local chosen
    for _, item in ipairs(items) do
      local action = item[2]
      table.insert(offered, { title = opts.format_item and opts.format_item(item) or action.title, action = action })
      if chosen == nil and choose(action) then
        chosen = item
      end
    end
    on_choice(chosen)
  end
  return offered
end

local function preferred(action)
  return action.isPreferred == true
end

local function code_action_on(buf, lnum, needle)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, T.byte_col(buf, lnum, needle) })
  vim.lsp.buf.code_action()
end

local function open_with_diagnostic(text, opts)
  local root = T.project({ ["app.py"] = text })
  require("loopsafe").setup(vim.tbl_extend("force", { cmd = T.server_cmd() }, opts or {}))
  local buf = T.open(root .. "/app.py")
  T.wait_for("a diagnostic", function()
    return #T.diagnostics(buf) > 0
  end)
  return buf
end

T.test("the preferred quick fix turns time.sleep into await asyncio.sleep and clears the diagnostic", function()
  local buf = open_with_diagnostic(T.SLEEPY)
  local offered = pick(preferred)
  code_action_on(buf, 4, "time.sleep")
  T.wait_for("the fix to change the buffer", function()
    return T.text(buf) ~= T.SLEEPY
  end)
  T.eq(T.SLEEPY_FIXED, T.text(buf), "text after the fix")
  local titles = vim.tbl_map(function(o)
    return o.title
  end, offered)
  T.truthy(#vim.tbl_filter(function(t)
    return t:find("noqa", 1, true)
  end, titles) == 1, "a noqa action is offered too: " .. vim.inspect(titles))
  T.wait_for_codes(buf, {})
end)

T.test("the noqa quick fix suppresses the diagnostic", function()
  local buf = open_with_diagnostic(T.SLEEPY)
  pick(function(action)
    return action.title:find("noqa", 1, true) ~= nil
  end)
  code_action_on(buf, 4, "time.sleep")
  T.wait_for("the fix to change the buffer", function()
    return T.text(buf) ~= T.SLEEPY
  end)
  T.eq(T.SLEEPY:gsub("time.sleep%(1%)\n", "time.sleep(1)  # noqa: ASYNC251\n"), T.text(buf), "text")
  T.wait_for_codes(buf, {})
end)

local NON_ASCII = 'import time\n\n\nasync def handler() -> None:\n    x = "é😀"; time.sleep(2)\n'
local NON_ASCII_FIXED = 'import time\nimport asyncio\n\n\nasync def handler() -> None:\n    x = "é😀"; await asyncio.sleep(2)\n'

T.test("a fix after non-ASCII text on the line lands on the call (UTF-16 positions)", function()
  local buf = open_with_diagnostic(NON_ASCII)
  T.eq("utf-16", T.client_of(buf).offset_encoding, "negotiated encoding")
  pick(preferred)
  code_action_on(buf, 4, "time.sleep")
  T.wait_for("the fix to change the buffer", function()
    return T.text(buf) ~= NON_ASCII
  end)
  T.eq(NON_ASCII_FIXED, T.text(buf), "text")
end)

T.test("when the server picks UTF-8 from the client's offer, positions follow it", function()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.general = { positionEncodings = { "utf-8", "utf-16" } }
  local buf = open_with_diagnostic(NON_ASCII, { capabilities = capabilities })
  T.eq("utf-8", T.client_of(buf).offset_encoding, "encoding taken from the initialize result")
  local d = T.diagnostics(buf)[1]
  T.eq(T.byte_col(buf, 4, "time.sleep"), d.col, "diagnostic column")
  pick(preferred)
  code_action_on(buf, 4, "time.sleep")
  T.wait_for("the fix to change the buffer", function()
    return T.text(buf) ~= NON_ASCII
  end)
  T.eq(NON_ASCII_FIXED, T.text(buf), "text")
end)

T.test("a blocking HTTP call is moved to a thread", function()
  local route = table.concat({
    "import requests",
    "",
    "",
    "async def get_user(user_id: int) -> dict:",
    '    resp = requests.get(f"http://users/{user_id}", timeout=5)',
    "    return resp.json()",
    "",
  }, "\n")
  local buf = open_with_diagnostic(route)
  pick(preferred)
  code_action_on(buf, 4, "requests.get")
  T.wait_for("the fix to change the buffer", function()
    return T.text(buf) ~= route
  end)
  local expected = route
    :gsub("import requests\n", "import requests\nimport asyncio\n")
    :gsub("requests%.get%(f", "await asyncio.to_thread(requests.get, f")
  T.eq(expected, T.text(buf), "text")
end)

T.run()
