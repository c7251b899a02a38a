#!/usr/bin/env bash
# `npm run bench:dashboard`: the cost of watching the broker under load. W1 (1 KiB bodies, 64 senders:
# the bench:broker load) against `clean-rocketmq start` (dist/) with neither the dashboard nor /metrics,
# then with both: one open page (a WebSocket taking the 1 s snapshots and the page's API reads every
# second) and a Prometheus scrape of /metrics every second; alternated ROUNDS times in one run; prints
# each run's TPS. docs/benchmarks.md (the dashboard section).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds="${ROUNDS:-2}"
seconds="${SECONDS_PER_RUN:-15}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port_free() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

run_once() {
  local mode="$1" dashboard_port=0 metrics_port=0 watcher=""
  if [[ "$mode" == on ]]; then
    dashboard_port="$(port_free)"
    metrics_port="$(port_free)"
  fi
  rm -rf "$work/data"
  node dist/cli/main.js start --data-dir "$work/data" --registry-port 0 --broker-port 0 --grpc-port 0 \
    --dashboard-port "$dashboard_port" --metrics-port "$metrics_port" >"$work/broker.out" 2>&1 &
  local broker=$!
  pids+=("$broker")
  until grep -q 'ready:' "$work/broker.out"; do sleep 0.2; done
  local namesrv brokeraddr
  namesrv="$(sed -n 's/.*registry \([^,]*\),.*/\1/p' "$work/broker.out" | head -1)"
  brokeraddr="$(sed -n 's/.*broker \([^ ,]*\).*/\1/p' "$work/broker.out" | head -1)"
  if [[ "$mode" == on ]]; then
    DASHBOARD_URL="http://127.0.0.1:$dashboard_port/" METRICS_URL="http://127.0.0.1:$metrics_port/metrics" \
      node --input-type=module -e '
      import { WebSocket } from "ws";
      const url = process.env.DASHBOARD_URL;
      let snapshots = 0;
      let scrapes = 0;
      new WebSocket(url.replace("http", "ws") + "ws").on("message", () => snapshots++);
      setInterval(async () => {
        for (const path of ["overview", "topics", "groups", "producers"]) await (await fetch(url + "api/" + path)).text();
      }, 1000);
      setInterval(async () => {
        const response = await fetch(process.env.METRICS_URL);
        await response.text();
        if (response.status === 200) scrapes++;
      }, 1000);
      process.on("SIGTERM", () => {
        console.log(`snapshots received: ${snapshots}, /metrics scrapes: ${scrapes}`);
        process.exit(0);
      });
    ' >"$work/watcher.out" 2>&1 &
    watcher=$!
    pids+=("$watcher")
  fi
  local tps=""
  tps="$(npx tsx bench/broker-load.ts --broker "$brokeraddr" --namesrv "$namesrv" --seconds "$seconds" --warmup 3 \
    --json "$work/result.json" >"$work/load.out" 2>&1 && node -e '
    const r = require(process.argv[1]).result;
    console.log(`${Math.round(r.tps)} TPS, broker ${r.broker?.cpuUsPerMsg?.toFixed(1) ?? "?"} us CPU/msg`)' "$work/result.json")" || tail -5 "$work/load.out" >&2
  if [[ -n "$watcher" ]]; then kill "$watcher"; wait "$watcher" || true; fi
  kill "$broker"; wait "$broker" || true
  echo "dashboard and /metrics $mode: W1 $tps $( [[ "$mode" == on ]] && cat "$work/watcher.out" || true)"
}

for ((i = 1; i <= rounds; i++)); do
  [[ "${ONLY_ON:-}" == 1 ]] && { run_once on; continue; }
  run_once off
  run_once on
done
