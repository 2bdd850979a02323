#!/usr/bin/env bash
# Installs the SDK into a temporary prefix, builds a plugin outside this tree against
# it with find_package(TesseraSDK), and checks that the host loads it and serves it.
set -euo pipefail
src=$1 build=$2 tessera=$3
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cmake --install "$build" --component sdk --prefix "$work/prefix" >/dev/null
# The package's version is the headers' version.
want=$(sed -n 's/^#define TESSERA_SDK_VERSION_STRING "\(.*\)"$/\1/p' "$src/sdk/include/tessera/sdk/version.hpp")
version_file=$(find "$work/prefix" -name TesseraSDKConfigVersion.cmake)
grep -q "set(PACKAGE_VERSION \"$want\")" "$version_file" || { echo "the SDK package is not version $want"; exit 1; }
cmake -S "$src/tests/sdk/out_of_tree_plugin" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DTESSERA_PLUGIN_OUTPUT_DIR="$work/plugins" >/dev/null
cmake --build "$work/build" >/dev/null
export TESSERA_DATA_DIR="$work/data" TESSERA_PLUGIN_DIR="$work/plugins" TESSERA_DATABASE_URL="sqlite://$work/data"
"$tessera" plugins | tee "$work/plugins.txt"
grep -Eq '^out_of_tree +1\.0\.0 +active' "$work/plugins.txt"
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
anonymous=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Tenant: acme' "http://127.0.0.1:$port/api/v1/out-of-tree/hello")
[ "$anonymous" = 401 ] || { echo "anonymous request answered $anonymous, not 401"; exit 1; }
reply=$(curl -s -H 'X-Tenant: acme' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/out-of-tree/hello")
echo "$reply"
[ "$reply" = '{"hello":"acme"}' ]
# The plugin refuses unknown parameters through the installed tessera_sdk_rest library.
refused=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Tenant: acme' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/out-of-tree/hello?bogus=1")
[ "$refused" = 400 ] || { echo "unknown parameter answered $refused, not 400"; exit 1; }
kill -TERM "$pid"
wait "$pid"
echo "out-of-tree plugin built against the installed SDK and served"
