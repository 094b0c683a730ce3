-- wrk: a mixed public workload — product search and detail, the dashboard
-- (half of it past the micro-cache), calls, and applications with distinct
-- facilities. Set CALL_ID and UNIT_CODE in the environment.
local terms = { "keo", "cu+do", "mat+ong", "nuoc+mam", "che", "cam", "ruou", "my+nghe" }
local call_id = os.getenv("CALL_ID") or "1"
local unit = os.getenv("UNIT_CODE") or "18073"
local n = 0
local tag = tostring(os.time())
local threads = 0

-- Each wrk thread gets its own number, so facility names never repeat
-- (a repeat would be a legitimate 409, not what the soak measures).
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

request = function()
  n = n + 1
  local k = n % 10
  if k < 4 then
    return wrk.format("GET", "/api/products?q=" .. terms[(n % #terms) + 1] .. "&page=" .. (n % 3 + 1))
  elseif k == 4 then
    return wrk.format("GET", "/api/products/" .. (n % 20 + 1))
  elseif k < 7 then
    return wrk.format("GET", "/api/dashboard?year=2020", (n % 2 == 0) and { Cookie = "x=1" } or nil)
  elseif k == 7 then
    return wrk.format("GET", "/api/calls")
  else
    local body = string.format('{"call_id":%s,"facility":{"name":"Cơ sở soak %s-%s %d","owner_name":"Nguyễn Văn Soak","phone":"0912345678","address":"Thôn Soak","unit_code":"%s","kind":"household"},"products":["Sản phẩm soak"],"requested_vnd":1000000,"note":"soak"}', call_id, tag, tostring(tid), n, unit)
    return wrk.format("POST", "/api/applications", { ["Content-Type"] = "application/json" }, body)
  end
end
