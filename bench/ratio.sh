#!/usr/bin/env bash
# Uncached /api/v1/ask against /healthz in the same run, on loopback: builds
# wenda, starts it with the answer cache and the rate limit off, then RUNS
# times runs wrk (32 connections, 2 threads, DURATION) on /healthz and on
# /api/v1/ask with bench/ask.lua's questions in turn, and prints each pair
# and the medians: requests/s, p50, p99, the server's CPU time per request
# (from /proc; other load on the machine changes it less than the rates) and
# ask/healthz. wrk shares the machine's cores with the server. Needs wrk
# (apt-get install wrk).
#
# PROFILE=dir builds with -tags pprof and, during one more ask run, takes an
# 8 s CPU profile and an allocation profile of the server into dir
# (go tool pprof -top dir/wenda dir/cpu.pprof).
#
# BIN=path runs that wenda binary instead of building one, to compare builds
# in turn under the same load.
#
# Usage: RUNS=5 bash bench/ratio.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
ADDR=127.0.0.1:${PORT:-18081}
PPROF=127.0.0.1:${PPROF_PORT:-18082}
tmp=$(mktemp -d)
tags=()
[[ -n ${PROFILE:-} ]] && tags=(-tags pprof)
if [[ -n ${BIN:-} ]]; then
  cp "$BIN" "$tmp/wenda" # a build to compare, made earlier (with -tags pprof for PROFILE)
else
  go build "${tags[@]}" -o "$tmp/wenda" ./cmd/wenda
fi
WENDA_ANSWER_CACHE=0 WENDA_RATE_LIMIT=0 WENDA_LOG_LEVEL=warn WENDA_PPROF_ADDR=$PPROF \
  "$tmp/wenda" serve -addr "$ADDR" -data "$tmp/data" >"$tmp/wenda.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 200); do curl -fs "http://$ADDR/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "http://$ADDR/readyz" >/dev/null || { echo "wenda did not become ready"; cat "$tmp/wenda.log"; exit 1; }

# cpu is the server's CPU time so far, in clock ticks (user + system).
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)

# load prints "req/s p50 p99 cpu" of one wrk run: latencies in ms, and the
# server's CPU time per request in µs, which contention for the cores
# changes less than the rates do.
load() {
  local before
  before=$(cpu)
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$@" | awk -v before="$before" -v after_file="/proc/$pid/stat" -v tick="$tick" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v)-2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v)-2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v)-1) * 1000
      return v
    }
    /requests in/ {n=$1} /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)}
    /Non-2xx/ {bad=$NF}
    END {
      if (bad) {print "non-2xx responses: " bad > "/dev/stderr"; exit 1}
      getline stat < after_file; split(stat, f, " ")
      printf "%.0f %.2f %.2f %.1f\n", rps, p50, p99, (f[14] + f[15] - before) / tick * 1e6 / n
    }'
}

out=$tmp/runs
for i in $(seq "$RUNS"); do
  read -r hr hp50 hp99 hcpu < <(load "http://$ADDR/healthz")
  read -r ar ap50 ap99 acpu < <(load -s bench/ask.lua "http://$ADDR")
  ratio=$(awk -v a="$ar" -v h="$hr" 'BEGIN {printf "%.3f", a/h}')
  printf 'run %d: healthz %6d req/s p50 %5.2f ms p99 %6.2f ms %5.1f µs CPU | ask %6d req/s p50 %5.2f ms p99 %6.2f ms %5.1f µs CPU | ratio %s\n' \
    "$i" "$hr" "$hp50" "$hp99" "$hcpu" "$ar" "$ap50" "$ap99" "$acpu" "$ratio"
  echo "$hr $hp50 $hp99 $ar $ap50 $ap99 $ratio $hcpu $acpu" >>"$out"
done
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m() { awk -v c="$1" '{print $c}' "$out" | median; }
printf 'median (%d runs, %d connections, %s each): healthz %s req/s p99 %s ms %s µs CPU | ask %s req/s p50 %s ms p99 %s ms %s µs CPU | ratio %s\n' \
  "$RUNS" "$CONNS" "$DURATION" "$(m 1)" "$(m 3)" "$(m 8)" "$(m 4)" "$(m 5)" "$(m 6)" "$(m 9)" "$(m 7)"

if [[ -n ${PROFILE:-} ]]; then
  mkdir -p "$PROFILE"
  cp "$tmp/wenda" "$PROFILE/wenda"
  load -s bench/ask.lua "http://$ADDR" >/dev/null &
  loader=$!
  curl -fs "http://$PPROF/debug/pprof/allocs?seconds=8" -o "$PROFILE/allocs.pprof" &
  curl -fs "http://$PPROF/debug/pprof/profile?seconds=8" -o "$PROFILE/cpu.pprof"
  wait "$loader"
  echo "profiles in $PROFILE: go tool pprof -top $PROFILE/wenda $PROFILE/cpu.pprof"
fi
