#!/usr/bin/env bash
# Build / run the official-Apache-RocketMQ-Go-client compatibility probe
# (test/compat/go, github.com/apache/rocketmq-client-go/v2 from the Go module proxy).
#
#   scripts/compat-go.sh build            # go build -> test/compat/go/bin/client-probe (skipped when up to date)
#   scripts/compat-go.sh run <args...>    # test/compat/go/bin/client-probe <args...> (builds first if needed)
#   scripts/compat-go.sh run produce 127.0.0.1:9876 GoTopic 8 sync --tag TagA --keys 'k-{i}'
#   scripts/compat-go.sh run consume 127.0.0.1:9876 go_group GoTopic '*' 8 30000
#
# The modules are fetched once with `go mod download` (stamped in bin/; a warm or offline module
# cache is enough, GOFLAGS=-mod=mod is never used, so go.mod and go.sum are never rewritten). The
# probe prints JSON lines on stdout (see test/compat/go/main.go). Env: GO (go binary, default go),
# COMPAT_GO_LOG_LEVEL (the client's rlog level on stderr, default warn).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJ="$ROOT/test/compat/go"
BIN_DIR="$PROJ/bin"
BIN="$BIN_DIR/client-probe"
STAMP="$BIN_DIR/.modules-downloaded"
GO="${GO:-go}"
# Never let the go command fetch another toolchain.
export GOTOOLCHAIN=local

up_to_date() {
  [[ -x "$BIN" ]] || return 1
  # Any source, go.mod or go.sum newer than the binary => rebuild.
  [[ -z "$(find "$PROJ" -maxdepth 1 \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$BIN" -print -quit)" ]]
}

do_build() {
  if up_to_date; then
    return 0
  fi
  if ! command -v "$GO" >/dev/null 2>&1; then
    echo "compat-go: '$GO' not found; install Go to build test/compat/go" >&2
    return 1
  fi
  mkdir -p "$BIN_DIR"
  # Serialise concurrent builds (e.g. parallel test workers).
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
    echo "usage: $0 build | run produce|consume <namesrvAddr> <args...>" >&2
    exit 64
    ;;
esac
