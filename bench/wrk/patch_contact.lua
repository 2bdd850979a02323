-- PATCH a random existing contact's phone per request, without If-Match (last writer
-- wins, see docs/api.md). The phone changes every time, so every PATCH is a real write.
--   BENCH_IDS_FILE     one contact id per line
--   BENCH_ITEM_PREFIX  path before the id (Tessera /api/v1/contacts/, Django /api/contacts/)
--   BENCH_ITEM_SUFFIX  path after the id (Django wants a trailing slash)
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
setup = report.setup
done = report.done

local prefix = os.getenv("BENCH_ITEM_PREFIX") or "/api/v1/contacts/"
local suffix = os.getenv("BENCH_ITEM_SUFFIX") or ""
local ids = {}
local counter = 0
local headers = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_IDS_FILE")) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  assert(#ids > 0, "no ids in BENCH_IDS_FILE")
  math.randomseed(os.time() * 100 + thread_id)
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local id = ids[math.random(#ids)]
  local body = string.format('{"phone":"+44 20 %d %07d"}', thread_id, counter % 10000000)
  return wrk.format("PATCH", prefix .. id .. suffix, headers, body)
end
