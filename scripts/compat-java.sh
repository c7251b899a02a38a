#!/usr/bin/env bash
# Build / run the official-Apache-RocketMQ-client compatibility probe
# (test/compat/java, DefaultMQAdminExt from rocketmq-tools on Maven Central).
#
#   scripts/compat-java.sh build             # mvn package + copy deps (skipped when up to date)
#   scripts/compat-java.sh run <args...>     # java ... cleanrocketmq.compat.AdminProbe <args...>
#   scripts/compat-java.sh run 127.0.0.1:9876 clusterList
#   scripts/compat-java.sh run 127.0.0.1:9876 topicRoute TBW102
#   scripts/compat-java.sh run 127.0.0.1:9876 topicList
#
# `run` prints exactly one JSON line on stdout; exit 0 = ok, 2 = RocketMQ call
# failed ({"error":...,"responseCode":N}), 64 = usage. `run` builds first if
# needed. Env: COMPAT_TIMEOUT_MS (per-call admin timeout, default 3000),
# COMPAT_JAVA_OPTS (extra JVM flags), MVN (maven binary, default mvn).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJ="$ROOT/test/compat/java"
TARGET="$PROJ/target"
JAR="$TARGET/compat-java-0.0.1.jar"
STAMP="$TARGET/dependency/.copied"
MVN="${MVN:-mvn}"

REQUIRED_FILE="$TARGET/classes/cleanrocketmq/compat/AdminProbe.class"
# shellcheck source=scripts/maven-probe-build.sh
source "$ROOT/scripts/maven-probe-build.sh"

cmd="${1:-}"
case "$cmd" in
  build)
    probe_build
    ;;
  run)
    shift
    probe_build
    LOGROOT="${TMPDIR:-/tmp}/clean-rocketmq-compat-logs"
    # shellcheck disable=SC2086
    exec java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Drocketmq.log.root="$LOGROOT" -Drocketmq.client.logRoot="$LOGROOT" \
      -Drocketmq.log.level=ERROR -Drocketmq.client.logLevel=ERROR \
      -Dcompat.timeoutMillis="${COMPAT_TIMEOUT_MS:-3000}" \
      ${COMPAT_JAVA_OPTS:-} \
      -cp "$TARGET/classes:$TARGET/dependency/*" cleanrocketmq.compat.AdminProbe "$@"
    ;;
  *)
    echo "usage: $0 build | run <namesrvAddr> clusterList|topicList|topicRoute <topic>" >&2
    exit 64
    ;;
esac
