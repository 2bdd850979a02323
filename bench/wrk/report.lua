-- Shared by every wrk script of the benchmark: records each thread, counts 2xx
-- answers when a script asks for it, and writes one JSON summary to
-- $BENCH_WRK_JSON when the run ends, so bench/run never parses wrk's text output.
local report = {}
local threads = {}

function report.setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
  thread:set("thread_count", tonumber(os.getenv("BENCH_WRK_THREADS") or "2"))
end

-- Install as wrk's response() only where the exact 2xx count matters (creates):
-- a response() hook makes wrk hand every response to Lua, which costs throughput.
function report.count_response(status)
  if status >= 200 and status < 300 then ok2xx = (ok2xx or 0) + 1 end
end

function report.done(summary, latency, requests)
  local path = os.getenv("BENCH_WRK_JSON")
  if not path then return end
  local counted, ok = false, 0
  for _, t in ipairs(threads) do
    local n = t:get("ok2xx")
    if n ~= nil then counted = true; ok = ok + n end
  end
  local e = summary.errors
  local f = assert(io.open(path, "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.2f,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"ok2xx":%s}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, counted and tostring(ok) or "null"))
  f:close()
end

return report
