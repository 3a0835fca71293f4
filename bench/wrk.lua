-- Requests of bench/http.py for wrk (https://github.com/wg/wrk), one scenario a run:
--   wrk -c C -t T -d 20s -s bench/wrk.lua URL -- MODE FILE TOKEN
-- MODE "get": FILE holds one path a line, taken in turn by every connection.
-- MODE "create": FILE holds one JSON body a line (POST /api/v1/dossiers/), each
-- request with its own Idempotency-Key (thread number, a counter, the start time).
-- TOKEN: the API key (Authorization: Bearer …), "-" for none.
-- done() prints one JSON line that bench/http.py reads.

local threads = {}
local number = 0

function setup(thread)
  number = number + 1
  thread:set("id", number)
  table.insert(threads, thread)
end

local lines, mode, headers, counter, started = {}, "get", {}, 0, 0

function init(args)
  mode = args[1]
  for line in io.lines(args[2]) do
    lines[#lines + 1] = line
  end
  if args[3] ~= "-" then
    headers["Authorization"] = "Bearer " .. args[3]
  end
  headers["Accept"] = "application/json"
  started = os.time()
  counter = id * 7919 % #lines  -- threads start at different lines
end

function request()
  counter = counter + 1
  local line = lines[counter % #lines + 1]
  if mode == "create" then
    headers["Content-Type"] = "application/json"
    headers["Idempotency-Key"] = string.format("wrk-%d-%d-%d", started, id, counter)
    return wrk.format("POST", "/api/v1/dossiers/", headers, line)
  end
  return wrk.format("GET", line, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
