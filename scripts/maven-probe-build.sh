#!/usr/bin/env bash
# Sourced by the Java probe scripts (compat-java.sh, compat-java-grpc.sh): builds a probe's Maven project
# once (mvn package + its runtime dependencies copied), skipped when the jar is newer than the sources,
# serialised across parallel test workers by a lock file. Set PROJ, TARGET, JAR, STAMP and MVN first;
# REQUIRED_FILE (optional) names one more file the build must have produced.

probe_up_to_date() {
  [[ -f "$JAR" && -f "$STAMP" ]] || return 1
  [[ -z "${REQUIRED_FILE:-}" || -f "$REQUIRED_FILE" ]] || return 1
  # Anything in the sources or the pom newer than the jar / dependency stamp => rebuild.
  [[ -z "$(find "$PROJ/pom.xml" "$PROJ/src" -newer "$JAR" -print -quit)" ]] || return 1
  [[ ! "$PROJ/pom.xml" -nt "$STAMP" ]] || return 1
  return 0
}

probe_build() {
  if probe_up_to_date; then
    return 0
  fi
  mkdir -p "$TARGET"
  # Serialise concurrent builds (e.g. parallel test workers).
  exec 9>"$TARGET/.build.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if probe_up_to_date; then
    return 0
  fi
  rm -rf "$TARGET/dependency"
  "$MVN" -q -B -Dstyle.color=never -f "$PROJ/pom.xml" package dependency:copy-dependencies -DincludeScope=runtime >&2
  touch "$STAMP"
}
