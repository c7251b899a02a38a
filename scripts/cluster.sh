#!/usr/bin/env bash
# scripts/cluster.sh start|stop DIR: a two-registry, two-group cluster on one machine (docs/replication.md §9):
# registry-1, registry-2, broker-a and broker-b (each a master and a SLAVE), every broker registered with both
# registries, all on ephemeral ports of 127.0.0.1. Depends on the CLI (dist/cli/main.js; CLEAN_ROCKETMQ_CLI).
#
# start: DIR/<name>/ holds each process's broker.conf, store, stdout and stderr; DIR/<name>.pid its pid and
# DIR/<name>.addr its address; the addresses are printed. stop: SIGTERM to each pid of DIR (SIGKILL after 20 s).
# Environment: CLEAN_ROCKETMQ_CLI (default "node <repo>/dist/cli/main.js"), CLUSTER_MASTER_ROLE (ASYNC_MASTER),
# CLUSTER_EXTRA_CONF (broker.conf lines added to every broker, separated by newlines).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cli=${CLEAN_ROCKETMQ_CLI:-"node $root/dist/cli/main.js"}
host=127.0.0.1
names=(registry-1 registry-2 broker-a-master broker-b-master broker-a-slave broker-b-slave)

usage() {
  echo "usage: scripts/cluster.sh start|stop DIR" >&2
  exit 2
}

# wait_address NAME: the address of NAME's "listening on HOST:PORT" stdout line, waiting up to 60 s.
wait_address() {
  local out="$dir/$1/stdout" line
  for _ in $(seq 1 600); do
    line=$(grep -m1 -oE 'listening on [0-9.]+:[0-9]+' "$out" 2>/dev/null || true)
    if [ -n "$line" ]; then
      echo "${line#listening on }"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; then
      echo "cluster.sh: $1 exited; see $dir/$1/stderr" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "cluster.sh: $1 not ready after 60 s; see $dir/$1/stderr" >&2
  return 1
}

# launch NAME ARGS...: starts the CLI with ARGS in the background, records its pid and address.
launch() {
  local name=$1
  shift
  mkdir -p "$dir/$name"
  # shellcheck disable=SC2086 # the CLI command is a word list on purpose
  $cli "$@" >"$dir/$name/stdout" 2>"$dir/$name/stderr" </dev/null &
  echo $! >"$dir/$name.pid"
  wait_address "$name" >"$dir/$name.addr"
  echo "$name $(cat "$dir/$name.addr") pid $(cat "$dir/$name.pid")"
}

# broker NAME GROUP ID ROLE NAMESRV: writes NAME's broker.conf and launches it.
broker() {
  local conf="$dir/$1/broker.conf"
  mkdir -p "$dir/$1"
  {
    echo "brokerClusterName=DefaultCluster"
    echo "brokerName=$2"
    echo "brokerId=$3"
    echo "brokerRole=$4"
    echo "namesrvAddr=$5"
    echo "listenPort=0"
    echo "brokerIP1=$host"
    echo "brokerIP2=$host"
    echo "grpcServerPort=0"
    echo "storePathRootDir=$dir/$1/store"
    if [ -n "${CLUSTER_EXTRA_CONF:-}" ]; then echo "$CLUSTER_EXTRA_CONF"; fi
  } >"$conf"
  launch "$1" broker -c "$conf"
}

start() {
  mkdir -p "$dir"
  for name in "${names[@]}"; do
    if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      echo "cluster.sh: $name already runs (pid $(cat "$dir/$name.pid")); stop $dir first" >&2
      exit 1
    fi
  done
  launch registry-1 registry --host "$host" --port 0
  launch registry-2 registry --host "$host" --port 0
  local namesrv
  namesrv="$(cat "$dir/registry-1.addr");$(cat "$dir/registry-2.addr")"
  local role=${CLUSTER_MASTER_ROLE:-ASYNC_MASTER}
  broker broker-a-master broker-a 0 "$role" "$namesrv"
  broker broker-b-master broker-b 0 "$role" "$namesrv"
  broker broker-a-slave broker-a 1 SLAVE "$namesrv"
  broker broker-b-slave broker-b 1 SLAVE "$namesrv"
  echo "$namesrv" >"$dir/namesrv.addr"
  echo "NAMESRV_ADDR=$namesrv"
}

# stop: SIGTERM to every pid this script recorded in DIR (brokers first), SIGKILL after 20 s.
stop() {
  local index pid
  for ((index = ${#names[@]} - 1; index >= 0; index--)); do
    local file="$dir/${names[index]}.pid"
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

[ $# -eq 2 ] || usage
dir=$2
case "$1" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
