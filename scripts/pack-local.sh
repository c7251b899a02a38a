#!/usr/bin/env bash
# `npm run pack:local [out-dir]`: the two tarballs a user on this machine would install, in out-dir
# (default .pack/): the main package clean-rocketmq-<version>.tgz (TypeScript compiled into its own
# staging folder, package.json given the optionalDependencies napi prepublish writes at release) and
# the host's platform package clean-rocketmq-<platform>-<version>.tgz holding native/store.<platform>.node.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
out_dir="$(realpath -m "${1:-.pack}")"
stage_dir="$(mktemp -d)"
trap 'rm -rf "$stage_dir"' EXIT
mkdir -p "$out_dir"

# The host's napi-rs platform suffix: the local .node the generated loader would pick first.
host="$(node -e '
  const { platform, arch } = process;
  const musl = platform === "linux" && process.report.getReport().header.glibcVersionRuntime === undefined;
  console.log(platform === "linux" ? `${platform}-${arch}-${musl ? "musl" : "gnu"}` : `${platform}-${arch}`);
')"
node_file="native/store.$host.node"
[[ -f npm/$host/package.json ]] || { echo "pack:local: $host is not in package.json napi.targets" >&2; exit 2; }
[[ -f $node_file ]] || { echo "pack:local: $node_file is missing: run npm run build:native" >&2; exit 2; }

# Main package: what package.json `files` lists, with dist/ compiled fresh into the staging folder.
main_dir="$stage_dir/main"
mkdir -p "$main_dir/native"
npx tsc -p tsconfig.build.json --outDir "$main_dir/dist" --declarationMap false
cp package.json README.md "$main_dir/"
cp native/index.cjs native/index.d.ts "$main_dir/native/"
node -e '
  const fs = require("fs");
  const [file, root] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.optionalDependencies = {};
  for (const dir of fs.readdirSync(`${root}/npm`).sort()) {
    const platformPkg = JSON.parse(fs.readFileSync(`${root}/npm/${dir}/package.json`, "utf8"));
    pkg.optionalDependencies[platformPkg.name] = pkg.version;
  }
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$main_dir/package.json" "$root"

# Platform package: npm/<platform>/package.json plus the .node it names.
platform_dir="$stage_dir/$host"
mkdir -p "$platform_dir"
cp "npm/$host/package.json" "$node_file" "$platform_dir/"

(cd "$main_dir" && npm pack --ignore-scripts --silent --pack-destination "$out_dir" >/dev/null)
(cd "$platform_dir" && npm pack --ignore-scripts --silent --pack-destination "$out_dir" >/dev/null)
version="$(node -p 'require("./package.json").version')"
echo "$out_dir/clean-rocketmq-$version.tgz"
echo "$out_dir/clean-rocketmq-$host-$version.tgz"
