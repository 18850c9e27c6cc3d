-- wrk script for bench/search_load.py: requests the paths listed in a file, in turn, counts
-- the responses that are not 2xx, and prints one parseable RESULT line at the end.
--
--   wrk -t2 -c8 -d15s -s bench/round_robin.lua http://127.0.0.1:8000 -- paths.txt
--
-- Each wrk thread has its own Lua state: setup() keeps a handle on every thread so that
-- done() can add up their counts.

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  -- Threads start at different places in the list, so all paths are in flight at once.
  position = thread_number % #paths
  non2xx = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), math.floor(latency.max),
    bad, errors.connect, errors.read, errors.write, errors.timeout))
end
