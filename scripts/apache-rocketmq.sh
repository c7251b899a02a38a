#!/usr/bin/env bash
# Apache RocketMQ 5.5.0 on loopback, the reference broker for the client SDK's tests
# (CLIENT_TEST_TARGET=apache, test/client/apache-cluster.ts): downloads it once through
# scripts/rocketmq-peer.sh (Maven Central jars in .peer/), then starts its name server and broker
# in the background on free ports of 127.0.0.1 with their store, logs and configs in <runDir>.
#
#   scripts/apache-rocketmq.sh start <runDir> [key=value ...]  # extra keys go into broker.conf
#   scripts/apache-rocketmq.sh stop <runDir>                   # SIGTERM both by PID, then SIGKILL
#
# `start` returns once the broker has registered with the name server and prints one line on stdout:
#   {"namesrvAddr":"127.0.0.1:P","brokerAddr":"127.0.0.1:Q","namesrvPid":N,"brokerPid":M}
# If either process exits or APACHE_START_TIMEOUT_S (default 120) passes first, it stops both, prints
# the tail of their output on stderr and exits 1. The broker also listens on Q-2 (its fast port) and
# Q+1 (HA, which Apache binds on every interface); ports are picked from 20000-32767, below Linux's
# ephemeral range, so no outgoing connection takes one meanwhile. (Apache's name server also dials
# its own port at the host's first non-loopback address, NetworkUtil.getLocalAddress, for its
# client's reachability scan; listening on loopback only, it refuses itself there.) `stop` waits APACHE_STOP_GRACE_S
# (default 10; 0 = SIGKILL at once, for a store about to be deleted) before SIGKILL. PEER_JAVA_OPTS
# (extra JVM flags) is passed on to rocketmq-peer.sh. Depends on java 17, mvn, node.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="$ROOT/scripts/rocketmq-peer.sh"

# Prints "<namesrvPort> <brokerPort>" such that namesrvPort, brokerPort - 2, brokerPort and
# brokerPort + 1 can all be bound on 127.0.0.1 right now.
free_ports() {
  node -e '
    const net = require("node:net");
    const bindable = (port) => new Promise((resolve) => {
      const server = net.createServer().once("error", () => resolve(false));
      server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
    });
    const pick = () => 20002 + Math.floor(Math.random() * (32767 - 20002 - 1));
    (async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const namesrv = pick(), broker = pick();
        const ports = [namesrv, broker - 2, broker, broker + 1];
        if (new Set(ports).size !== ports.length) continue;
        let ok = true;
        for (const port of ports) ok = ok && (await bindable(port));
        if (ok) { console.log(namesrv, broker); return; }
      }
      console.error("apache-rocketmq: no free ports found"); process.exit(1);
    })();'
}

# Waits until <log> contains <text>; fails if <pid> exits or the deadline passes.
wait_for_line() {
  local what="$1" pid="$2" log="$3" text="$4" deadline="$5"
  until grep -qF "$text" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "apache-rocketmq: the $what exited during start-up" >&2
      return 1
    fi
    if (( SECONDS >= deadline )); then
      echo "apache-rocketmq: no \"$text\" from the $what within ${APACHE_START_TIMEOUT_S:-120} s" >&2
      return 1
    fi
    sleep 0.2
  done
}

stop_pids() {
  local grace_s="${APACHE_STOP_GRACE_S:-10}" signal=TERM pids=() pid
  (( grace_s > 0 )) || signal=KILL
  for pid in "$@"; do
    [[ -n "$pid" ]] && kill "-$signal" "$pid" 2>/dev/null && pids+=("$pid")
  done
  local deadline=$((SECONDS + grace_s))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Until the ports are free (bounded: a zombie whose parent does not reap it stays visible).
  deadline=$((SECONDS + 3))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
  done
}

do_start() {
  local run_dir="$1"
  shift
  mkdir -p "$run_dir"
  run_dir="$(cd "$run_dir" && pwd)"
  "$PEER" fetch
  local namesrv_port broker_port
  read -r namesrv_port broker_port < <(free_ports)
  local namesrv_addr="127.0.0.1:$namesrv_port" broker_addr="127.0.0.1:$broker_port"

  cat >"$run_dir/namesrv.conf" <<EOF
listenPort=$namesrv_port
bindAddress=127.0.0.1
EOF
  {
    cat <<EOF
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerRole=ASYNC_MASTER
flushDiskType=ASYNC_FLUSH
namesrvAddr=$namesrv_addr
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
listenPort=$broker_port
storePathRootDir=$run_dir/store
autoCreateTopicEnable=true
autoCreateSubscriptionGroup=true
enablePropertyFilter=true
EOF
    local pair
    for pair in "$@"; do echo "$pair"; done
  } >"$run_dir/broker.conf"

  local deadline=$((SECONDS + ${APACHE_START_TIMEOUT_S:-120}))
  "$PEER" namesrv "$run_dir/namesrv" "$run_dir/namesrv.conf" >"$run_dir/namesrv.out" 2>&1 </dev/null &
  local namesrv_pid=$!
  disown "$namesrv_pid"
  echo "$namesrv_pid" >"$run_dir/namesrv.pid"
  local broker_pid=""
  if wait_for_line 'name server' "$namesrv_pid" "$run_dir/namesrv.out" 'boot success' "$deadline"; then
    "$PEER" broker "$run_dir/broker" "$run_dir/broker.conf" >"$run_dir/broker.out" 2>&1 </dev/null &
    broker_pid=$!
    disown "$broker_pid"
    echo "$broker_pid" >"$run_dir/broker.pid"
    # "boot success" may come before the first registration: the broker registers only with name
    # servers its connection scan has already found reachable, else 10 s later (BrokerOuterAPI).
    if wait_for_line broker "$broker_pid" "$run_dir/broker.out" 'boot success' "$deadline" &&
      wait_for_line broker "$broker_pid" "$run_dir/broker/logs/rocketmqlogs/broker.log" \
        "Registering current broker to name server completed. TargetHost=$namesrv_addr" "$deadline"; then
      printf '{"namesrvAddr":"%s","brokerAddr":"%s","namesrvPid":%d,"brokerPid":%d}\n' \
        "$namesrv_addr" "$broker_addr" "$namesrv_pid" "$broker_pid"
      return 0
    fi
  fi
  stop_pids "$broker_pid" "$namesrv_pid"
  local out
  for out in "$run_dir/namesrv.out" "$run_dir/broker.out" "$run_dir/broker/logs/rocketmqlogs/broker.log"; do
    # (without logback's own configuration chatter)
    [[ -f "$out" ]] && { echo "--- tail of $out" >&2; grep -v '|-INFO in ' "$out" | tail -n 30 >&2; }
  done
  return 1
}

do_stop() {
  local run_dir="$1" pids=() file
  for file in "$run_dir/broker.pid" "$run_dir/namesrv.pid"; do
    [[ -f "$file" ]] && pids+=("$(cat "$file")") && rm -f "$file"
  done
  stop_pids "${pids[@]}"
}

cmd="${1:-}"
case "$cmd" in
  start)
    [[ $# -ge 2 ]] || { echo "usage: $0 start <runDir> [key=value ...]" >&2; exit 64; }
    shift
    do_start "$@"
    ;;
  stop)
    [[ $# -eq 2 ]] || { echo "usage: $0 stop <runDir>" >&2; exit 64; }
    do_stop "$2"
    ;;
  *)
    echo "usage: $0 start <runDir> [key=value ...] | stop <runDir>" >&2
    exit 64
    ;;
esac
