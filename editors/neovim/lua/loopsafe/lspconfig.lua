-- A server entry in nvim-lspconfig's format, for setups that start every server through lspconfig:
--   require("lspconfig.configs").loopsafe = require("loopsafe.lspconfig")
--   require("lspconfig").loopsafe.setup({ settings = { loopsafe = { ignore = { "LS303" } } } })
local config = require("loopsafe.config")

return {
  default_config = {
    cmd = config.cmd,
    filetypes = config.filetypes,
    root_dir = function(fname)
      return config.find_root(fname)
    end,
    single_file_support = true,
    settings = { loopsafe = {} },
    before_init = config.before_init,
    on_init = config.on_init,
  },
  docs = {
    description = [[
loopsafe finds calls that block the asyncio event loop (time.sleep, requests.get, open(), sync
database drivers, ...) inside `async def`, and offers fixes. Settings go under `settings.loopsafe`.
]],
    default_config = {
      root_dir = [[the nearest directory with pyproject.toml or .git, else the file's directory]],
    },
  },
}
