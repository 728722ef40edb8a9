#!/usr/bin/env bash
# Load test of the extractive /api/v1/ask on loopback: builds wenda, starts it
# with the rate limit off, runs wrk (32 connections, 2 threads) RUNS times and
# prints each run's requests/s and p99. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
ADDR=127.0.0.1:${PORT:-18080}
bin=$(mktemp -d)/wenda
go build -o "$bin" ./cmd/wenda
data=$(mktemp -d)
WENDA_RATE_LIMIT=0 WENDA_LOG_LEVEL=warn "$bin" serve -addr "$ADDR" -data "$data" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 100); do curl -fs "http://$ADDR/readyz" >/dev/null && break; sleep 0.1; done
for i in $(seq "$RUNS"); do
  wrk -t2 -c32 -d"$DURATION" --latency -s bench/ask.lua "http://$ADDR" | awk -v run="$i" '
    /Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /^ +50%/ {p50=$2}
    END {printf "run %s: %s req/s  p50 %s  p99 %s\n", run, rps, p50, p99}'
done
