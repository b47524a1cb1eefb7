-- wrk script for bench/load.py. Each request is a line of a plan file (tab-separated):
--   METHOD  PATH  AUTH  BODY        AUTH: "-", "token:<key>" or "session:<key>"; BODY: JSON or "-"
-- wrk -t <n> -s bench/load.lua <url> -- <plan file> <cycle|once> <n>
-- Thread i of n takes lines i, i+n, i+2n…; "cycle" starts again at the end, "once" stops the thread there.
-- done() prints one line: RESULT {json} with the percentiles (ms), the counts and every status seen.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local plan, mode, nthreads = args[1], args[2], tonumber(args[3])
  lines, statuses, next_line, exhausted = {}, {}, 1, 0
  local index = 0
  for line in io.lines(plan) do
    if index % nthreads == id then
      local method, path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = { ["X-Forwarded-Proto"] = "https" } -- as behind the TLS proxy production expects
      if auth:sub(1, 6) == "token:" then
        headers["Authorization"] = "Token " .. auth:sub(7)
      elseif auth:sub(1, 8) == "session:" then
        headers["Cookie"] = "sessionid=" .. auth:sub(9)
      end
      if body ~= "-" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      table.insert(lines, wrk.format(method, path, headers, body))
    end
    index = index + 1
  end
  once = mode == "once"
end

function request()
  if next_line > #lines then
    if once then
      exhausted = 1
      wrk.thread:stop()
    end
    next_line = 1
  end
  local req = lines[next_line]
  next_line = next_line + 1
  return req
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local seen, ran_out = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      seen[#seen + 1] = string.format('"%s": %d', status, n)
    end
    ran_out = ran_out + thread:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f, '
      .. '"socket_errors": %d, "timeouts": %d, "statuses": {%s}, "ran_out": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write, e.timeout, table.concat(seen, ", "), ran_out
  ))
end
