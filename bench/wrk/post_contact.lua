-- POST one contact per request, each with an email no other request of any run uses
-- (the contacts plugin refuses duplicate emails with 409). The 2xx answers are
-- counted so bench/run can check that every acknowledged create is in the database.
--   BENCH_POST_PATH  collection path (Tessera /api/v1/contacts, Django /api/contacts/)
--   BENCH_RUN_ID     makes emails unique across runs against the same database
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
setup = report.setup
done = report.done
response = report.count_response

local path = os.getenv("BENCH_POST_PATH") or "/api/v1/contacts"
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local counter = 0
local headers = {}

function init(args)
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"Bench Writer %d","email":"bench-post-%s-%d-%d@example.com","phone":"+1-555-%07d"}',
    counter, run_id, thread_id, counter, counter % 10000000)
  return wrk.format("POST", path, headers, body)
end
