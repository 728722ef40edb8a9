#!/usr/bin/env bash
# Soak test on loopback: builds wenda, starts it with a fresh data directory
# (rate limit off, admin API and WeChat channel on), and runs bench/soak for
# DURATION (10m by default) with a mix of questions, streams, cancelled
# streams, OpenAI-style completions, WeChat messages and admin churn. Every
# INTERVAL it prints requests, errors, answers that differ from the fresh
# start's, goroutines, heap in use and RSS; it exits non-zero on any error or
# wrong answer. Usage: DURATION=3m bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10m}
INTERVAL=${INTERVAL:-30s}
ADDR=127.0.0.1:${PORT:-18090}
tmp=$(mktemp -d)
go build -o "$tmp/wenda" ./cmd/wenda
go build -o "$tmp/soak" ./bench/soak
admin=soak-admin-token-$RANDOM$RANDOM$RANDOM
wechat=soaktoken
WENDA_RATE_LIMIT=0 WENDA_LOG_LEVEL=warn WENDA_ADMIN_TOKEN=$admin WENDA_WECHAT_TOKEN=$wechat \
  "$tmp/wenda" serve -addr "$ADDR" -data "$tmp/data" >"$tmp/wenda.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 200); do curl -fs "http://$ADDR/readyz" >/dev/null && break; sleep 0.1; done
echo "wenda $pid ready: RSS $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$pid/status)"
status=0
# Bounded: the driver stops at DURATION; timeout is the backstop.
timeout --kill-after=10s "$(( $(sed -E 's/m$/*60/; s/s$//' <<<"$DURATION") + 120 ))" \
  "$tmp/soak" -base "http://$ADDR" -duration "$DURATION" -interval "$INTERVAL" -pid "$pid" \
  -admin-token "$admin" -wechat-token "$wechat" || status=$?
if grep -q 'level=ERROR' "$tmp/wenda.log"; then
  echo "server errors:"; grep 'level=ERROR' "$tmp/wenda.log" | sort | uniq -c | sort -rn | head
fi
exit $status
