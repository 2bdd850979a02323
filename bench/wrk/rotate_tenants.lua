-- GET the command line's path, rotating the tenant on every request so that a run
-- touches every tenant in the file in turn (threads interleave, none repeats early).
--   BENCH_TENANTS_FILE  one "slug[ token]" per line; a token becomes the bearer token
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
setup = report.setup
done = report.done

local tenants = {}
local next_index
local headers = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_TENANTS_FILE")) do
    local slug, token = line:match("^(%S+)%s*(%S*)")
    if slug then tenants[#tenants + 1] = {slug = slug, token = token ~= "" and token or nil} end
  end
  assert(#tenants > 0, "no tenants in BENCH_TENANTS_FILE")
  next_index = thread_id
  for k, v in pairs(wrk.headers) do headers[k] = v end
end

function request()
  local t = tenants[(next_index - 1) % #tenants + 1]
  next_index = next_index + thread_count
  headers["X-Tenant"] = t.slug
  headers["Authorization"] = t.token and ("Bearer " .. t.token) or nil
  return wrk.format(nil, nil, headers, nil)
end
