#!/usr/bin/env bash
# PNG (and SVG) charts of a `npm run bench:peer` result: TPS, latency, broker CPU and memory per
# workload, ours vs Apache RocketMQ. Drawing lives in bench/charts.ts (@resvg/resvg-js renders PNG).
#
#   scripts/bench-charts.sh [results.json] [--out DIR]
#   (default: the newest docs/bench-results/*.json, charts into docs/bench-results/charts/<name>/)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec npx tsx bench/charts.ts "$@"
