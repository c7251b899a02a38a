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

up_to_date() {
  [[ -f "$JAR" && -f "$STAMP" && -f "$TARGET/classes/cleanrocketmq/compat/AdminProbe.class" ]] || return 1
  # Anything in the sources or the pom newer than the jar / dependency stamp => rebuild.
  [[ -z "$(find "$PROJ/pom.xml" "$PROJ/src" -newer "$JAR" -print -quit)" ]] || return 1
  [[ ! "$PROJ/pom.xml" -nt "$STAMP" ]] || return 1
  return 0
}

do_build() {
  if up_to_date; then
    return 0
  fi
  mkdir -p "$TARGET"
  # Serialise concurrent builds (e.g. parallel test workers).
  exec 9>"$TARGET/.build.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if up_to_date; then
    return 0
  fi
  rm -rf "$TARGET/dependency"
  "$MVN" -q -B -Dstyle.color=never -f "$PROJ/pom.xml" package dependency:copy-dependencies -DincludeScope=runtime >&2
  touch "$STAMP"
}

cmd="${1:-}"
case "$cmd" in
  build)
    do_build
    ;;
  run)
    shift
    do_build
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
