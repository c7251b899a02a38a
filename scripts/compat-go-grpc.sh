#!/usr/bin/env bash
# Build / run the official RocketMQ 5 Go client (gRPC) probe (test/compat/go-grpc,
# github.com/apache/rocketmq-clients/golang/v5 v5.1.2 from the Go module proxy).
#
#   scripts/compat-go-grpc.sh build     # go build -> test/compat/go-grpc/bin/grpc-probe (skipped when up to date)
#   scripts/compat-go-grpc.sh run roundtrip 127.0.0.1:8081 Topic group 10 60000
#
# As scripts/compat-go.sh: modules fetched once with `go mod download` (go.mod and go.sum are never rewritten),
# builds serialised by a lock file, JSON lines on stdout (see test/compat/go-grpc/main.go). Env: GO.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJ="$ROOT/test/compat/go-grpc"
BIN_DIR="$PROJ/bin"
BIN="$BIN_DIR/grpc-probe"
STAMP="$BIN_DIR/.modules-downloaded"
GO="${GO:-go}"
# Never let the go command fetch another toolchain.
export GOTOOLCHAIN=local

up_to_date() {
  [[ -x "$BIN" ]] || return 1
  [[ -z "$(find "$PROJ" -maxdepth 1 \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$BIN" -print -quit)" ]]
}

do_build() {
  if up_to_date; then
    return 0
  fi
  if ! command -v "$GO" >/dev/null 2>&1; then
    echo "compat-go-grpc: '$GO' not found; install Go to build test/compat/go-grpc" >&2
    return 1
  fi
  mkdir -p "$BIN_DIR"
  exec 9>"$BIN_DIR/.build.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if up_to_date; then
    return 0
  fi
  cd "$PROJ"
  if [[ ! -f "$STAMP" || go.mod -nt "$STAMP" || go.sum -nt "$STAMP" ]]; then
    "$GO" mod download >&2
    touch "$STAMP"
  fi
  "$GO" build -trimpath -buildvcs=false -o "$BIN.tmp" . >&2
  mv -f "$BIN.tmp" "$BIN"
}

cmd="${1:-}"
case "$cmd" in
  build)
    do_build
    ;;
  run)
    shift
    do_build
    exec "$BIN" "$@"
    ;;
  *)
    echo "usage: $0 build | run roundtrip <endpoint> <topic> <group> <count> <timeoutMs>" >&2
    exit 64
    ;;
esac
