#!/usr/bin/env bash
# Installs the SDK into a temporary prefix, builds docs/plugins.md's `hello` plugin
# outside this tree against it with find_package(TesseraSDK), exactly as the page shows
# its files, and checks that the host loads it, migrates it and serves it.
set -euo pipefail
src=$1 build=$2 tessera=$3
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
# The fenced block after the first line of docs/plugins.md that contains $1.
block() {
  awk -v marker="$1" 'step == 0 && index($0, marker) { step = 1; next }
                      step == 1 && /^```/ { step = 2; next }
                      step == 2 && /^```/ { exit }
                      step == 2 { print }' "$src/docs/plugins.md"
}
plugin="$work/hello"
mkdir -p "$plugin/src" "$plugin/migrations"
block 'The plugin, `plugins/hello/src/hello_plugin.cpp`:' >"$plugin/src/hello_plugin.cpp"
block 'Its migration, `plugins/hello/migrations/0001_create_greetings.sql`' >"$plugin/migrations/0001_create_greetings.sql"
block 'Its manifest, `plugins/hello/plugin.json`:' >"$plugin/plugin.json"
block 'your plugin'"'"'s own `CMakeLists.txt`:' >"$plugin/CMakeLists.txt"
for f in src/hello_plugin.cpp migrations/0001_create_greetings.sql plugin.json CMakeLists.txt; do
  [ -s "$plugin/$f" ] || { echo "docs/plugins.md no longer shows hello's $f"; exit 1; }
done
cmake --install "$build" --component sdk --prefix "$work/prefix" >/dev/null
# The package's version is the headers' version.
want=$(sed -n 's/^#define TESSERA_SDK_VERSION_STRING "\(.*\)"$/\1/p' "$src/sdk/include/tessera/sdk/version.hpp")
version_file=$(find "$work/prefix" -name TesseraSDKConfigVersion.cmake)
grep -q "set(PACKAGE_VERSION \"$want\")" "$version_file" || { echo "the SDK package is not version $want"; exit 1; }
cmake -S "$plugin" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DTESSERA_PLUGIN_OUTPUT_DIR="$work/plugins" >/dev/null
cmake --build "$work/build" >/dev/null
# The copied manifest carries the build id the library was compiled with, the host's own.
host_build=$("$tessera" version | sed -n 's/^build //p')
[ -n "$host_build" ] && grep -Fq "\"build_id\" : \"$host_build\"" "$work/plugins/hello/plugin.json" ||
  { echo "dist manifest has no build id [$host_build]:"; cat "$work/plugins/hello/plugin.json"; exit 1; }
export TESSERA_DATA_DIR="$work/data" TESSERA_PLUGIN_DIR="$work/plugins" TESSERA_DATABASE_URL="sqlite://$work/data"
"$tessera" plugins | tee "$work/plugins.txt"
grep -Eq '^hello +1\.0\.0 +active' "$work/plugins.txt"
token=$("$tessera" tenant create acme --admin-email owner@acme.example | sed -n 's/^api token: //p')
[ -n "$token" ] || { echo "tenant create printed no API token"; exit 1; }
TESSERA_LISTEN=127.0.0.1:0 "$tessera" serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; exit 1; }
url="http://127.0.0.1:$port/api/v1/hello"
status() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Tenant: acme' "$@"; }
anonymous=$(status "$url/world")
[ "$anonymous" = 401 ] || { echo "anonymous request answered $anonymous, not 401"; exit 1; }
reply=$(curl -s -X POST -H 'X-Tenant: acme' -H "Authorization: Bearer $token" "$url/world")
echo "$reply"
[ "$reply" = '{"hello":"world"}' ]
# The installed tessera_sdk_rest library links too: an unknown parameter is a 400, a
# name over 100 characters a 422.
refused=$(status -H "Authorization: Bearer $token" "$url/world?bogus=1")
[ "$refused" = 400 ] || { echo "unknown parameter answered $refused, not 400"; exit 1; }
long=$(printf 'x%.0s' $(seq 101))
too_long=$(status -H "Authorization: Bearer $token" "$url/$long")
[ "$too_long" = 422 ] || { echo "a 101-character name answered $too_long, not 422"; exit 1; }
kill -TERM "$pid"
wait "$pid"
# Its migration ran for the tenant.
"$tessera" migrate --status --tenant acme | tee "$work/migrations.txt"
grep -Eq '^acme +hello +0001_create_greetings +applied' "$work/migrations.txt" || { echo "hello's migration is not listed as applied"; exit 1; }
echo "docs/plugins.md's hello plugin built against the installed SDK and served"
