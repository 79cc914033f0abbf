-- The commands exist however the server was started: setup(), vim.lsp.enable or lspconfig.
if vim.g.loaded_loopsafe then
  return
end
vim.g.loaded_loopsafe = true
require("loopsafe").create_commands()
