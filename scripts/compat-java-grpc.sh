#!/usr/bin/env bash
# Build / run the official RocketMQ 5 Java client's gRPC probe (test/compat/java-grpc,
# rocketmq-client-java from Maven Central) against our broker's gRPC endpoint.
#
#   scripts/compat-java-grpc.sh build                       # mvn package + copy deps (skipped when up to date)
#   scripts/compat-java-grpc.sh run <endpoint> <command> …  # see GrpcProducerProbe's usage
#   scripts/compat-java-grpc.sh class <Class> <args> …      # another class of the probe (GrpcInteropProbe, GrpcBench)
#
# `run` prints one JSON line per message on stdout; exit 0 = ok, 2 = a client call failed, 64 = usage.
# Env: MVN (maven binary, default mvn).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJ="$ROOT/test/compat/java-grpc"
TARGET="$PROJ/target"
JAR="$TARGET/compat-java-grpc-0.0.1.jar"
STAMP="$TARGET/dependency/.copied"
MVN="${MVN:-mvn}"

# shellcheck source=scripts/maven-probe-build.sh
source "$ROOT/scripts/maven-probe-build.sh"

case "${1:-}" in
  build)
    probe_build
    ;;
  run | class)
    if [[ "$1" == class ]]; then MAIN="cleanrocketmq.compat.grpc.$2"; shift; else MAIN=cleanrocketmq.compat.grpc.GrpcProducerProbe; fi
    shift
    probe_build
    LOGROOT="${TMPDIR:-/tmp}/clean-rocketmq-compat-logs"
    exec java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Drocketmq.log.root="$LOGROOT" -Drocketmq.client.logRoot="$LOGROOT" \
      -Drocketmq.log.level=ERROR -Drocketmq.client.logLevel=ERROR \
      -cp "$TARGET/classes:$TARGET/dependency/*" "$MAIN" "$@"
    ;;
  *)
    echo "usage: $0 build | run <endpoint> normal|fifo|delay|checkback|receive <topic> …" >&2
    exit 64
    ;;
esac
