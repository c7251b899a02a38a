#!/usr/bin/env bash
# `npm test`: lint (rustfmt, clippy, ESLint, tsc), the Rust tests, the native addon build (a no-op
# when up to date), then vitest, and the client suites once more against Apache RocketMQ. Every
# stage runs even if an earlier one failed; the last line is "<passed> passed, <failed> failed"
# (Rust and vitest tests, plus one failure per failed stage).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
passed=0
failed=0
failed_stages=()

stage() {
  echo
  echo "== $1"
}

stage 'lint: cargo fmt, clippy, eslint, tsc'
if ! npm run --silent lint; then
  failed=$((failed + 1))
  failed_stages+=(lint)
fi

# Debug profile: the release profile uses LTO, which makes every test binary slow to link.
stage 'cargo test --workspace'
if cargo test --workspace --no-fail-fast 2>&1 | tee "$work_dir/cargo-test.log"; then
  cargo_ok=1
else
  cargo_ok=0
fi
read -r cargo_passed cargo_failed < <(
  awk '/^test result:/ {
         for (i = 1; i <= NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i }
       }
       END { print p + 0, f + 0 }' "$work_dir/cargo-test.log"
)
passed=$((passed + cargo_passed))
failed=$((failed + cargo_failed))
if [[ $cargo_ok -eq 0 && $cargo_failed -eq 0 ]]; then
  failed=$((failed + 1))
  failed_stages+=('cargo test (did not build or run)')
fi

# vitest loads whatever addon is in native/: rebuild it so the tests see the current Rust code.
stage 'npm run build:native'
if ! npm run --silent build:native; then
  failed=$((failed + 1))
  failed_stages+=('build:native')
fi

# Runs a vitest command with a JSON report added and counts its tests; $1 names the stage.
vitest_stage() {
  local name="$1" json="$work_dir/vitest-$2.json"
  shift 2
  local ok=1 stage_passed=0 stage_failed=1
  "$@" --reporter=default --reporter=json --outputFile.json="$json" || ok=0
  if [[ -s "$json" ]]; then
    read -r stage_passed stage_failed < <(
      node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
               console.log(r.numPassedTests, r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? 1 : 0));' \
        "$json"
    )
  fi
  passed=$((passed + stage_passed))
  failed=$((failed + stage_failed))
  if [[ $ok -eq 0 && $stage_failed -eq 0 ]]; then
    failed=$((failed + 1))
    failed_stages+=("$name (did not run)")
  fi
}

stage 'vitest run'
vitest_stage vitest all npx vitest run

# The client suites again, against the reference broker: Apache RocketMQ 5.5.0 from Maven Central
# (scripts/apache-rocketmq.sh; about 2 minutes, mostly its JVMs starting once per suite file).
stage 'vitest run test/client against Apache RocketMQ 5.5.0 (npm run test:client:apache)'
vitest_stage 'client suites on Apache RocketMQ' apache npm run --silent test:client:apache --

echo
if [[ ${#failed_stages[@]} -gt 0 ]]; then
  echo "failed stages: ${failed_stages[*]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
