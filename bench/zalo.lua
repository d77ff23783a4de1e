-- wrk script: POSTs pre-signed Zalo bodies, each thread from its own slice of the file so
-- every request is a new event until the slice wraps around.
local bodies = {}
local signatures = {}
local index = 1

function setup(thread)
  thread:set("thread_number", setup_count or 0)
  setup_count = (setup_count or 0) + 1
end

function init(args)
  local path = args[1] or "zalo_bodies.tsv"
  local threads = tonumber(args[2] or "1")
  local line_number = 0
  for line in io.lines(path) do
    if line_number % threads == thread_number then
      local tab = line:find("\t", 1, true)
      signatures[#signatures + 1] = line:sub(1, tab - 1)
      bodies[#bodies + 1] = line:sub(tab + 1)
    end
    line_number = line_number + 1
  end
end

function request()
  local i = index
  index = index % #bodies + 1
  return wrk.format("POST", "/webhooks/zalo",
    {["Content-Type"] = "application/json", ["X-ZEvent-Signature"] = signatures[i]}, bodies[i])
end
