-- Neovim 0.11+: `vim.lsp.enable("loopsafe")` finds this file on the runtimepath. Override any field
-- with `vim.lsp.config("loopsafe", { ... })`, e.g. settings = { loopsafe = { ignore = { "LS303" } } }.
local config = require("loopsafe.config")

return {
  cmd = config.cmd,
  filetypes = config.filetypes,
  root_markers = config.root_markers,
  settings = { loopsafe = {} },
  before_init = config.before_init,
  on_init = config.on_init,
}
