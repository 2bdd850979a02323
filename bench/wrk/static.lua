-- The same request every time (method, path and headers from the wrk command line).
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
setup = report.setup
done = report.done
