-- wrk script: POST /api/v1/ask with questions in turn (answered, traditional,
-- refused, follow-up-free), so the load covers the whole extractive path.
-- Run: bash bench/load.sh
local questions = {
  "南昌义务教育巩固率是多少",
  "南昌市學前三年毛入園率是多少?",
  "九江“十四五”期间新增学位多少个?",
  "巴中到2027年普惠性学前教育覆盖率目标是多少?",
  "上海市义务教育巩固率是多少",
}
local bodies = {}
for i, q in ipairs(questions) do
  bodies[i] = '{"question":"' .. q .. '"}'
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/ask", nil, bodies[(n % #bodies) + 1])
end
