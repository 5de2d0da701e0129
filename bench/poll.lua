-- wrk script: each request is the scenario's path with a new
-- `updated_since` value (the parameter name is the script's first argument),
-- as a provider that polls with the time of its last poll; every value lies
-- before all the data, so each page is full. Threads count in separate ranges.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  param = args[1] or "filter[updated_since]"
  counter = (id or 0) * 10000000
  base = wrk.path
  sep = string.find(base, "?", 1, true) and "&" or "?"
end

function request()
  counter = counter + 1
  -- 2000-01-01T00:00:00Z plus `counter` seconds
  local since = os.date("!%Y-%m-%dT%H:%M:%SZ", 946684800 + counter)
  return wrk.format(nil, base .. sep .. param .. "=" .. since)
end
