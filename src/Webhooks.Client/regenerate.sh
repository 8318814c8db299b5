#!/usr/bin/env bash
# Regenerates the typed client from the document the server serves: builds the server, starts it on free loopback
# ports with a throw-away SQLite file, saves GET /openapi/v1.json as openapi.json beside this script, and runs the
# pinned generator (the local tool in .config/dotnet-tools.json) over it into Generated/, then builds the client.
# Needs jq and curl.
# Run from anywhere: src/Webhooks.Client/regenerate.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
server_project="$root/src/Webhooks.Server/Webhooks.Server.csproj"
work="$(mktemp -d)"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A port nothing answers on: a connection to it is refused.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free loopback port found" >&2
  return 1
}

cd "$root"
dotnet tool restore >/dev/null
dotnet build "$server_project" --nologo -v q -clp:ErrorsOnly
server_dll="$(dotnet msbuild "$server_project" -nologo -getProperty:TargetPath)"

http_port="$(free_port)"
silo_port="$(free_port)"
gateway_port="$(free_port)"
(
  cd "$(dirname "$server_dll")"
  ASPNETCORE_ENVIRONMENT=Development \
  ASPNETCORE_URLS="http://127.0.0.1:$http_port" \
  ConnectionStrings__Webhooks="Data Source=$work/webhooks.db" \
  Webhooks__Cluster__SiloPort="$silo_port" \
  Webhooks__Cluster__GatewayPort="$gateway_port" \
  Webhooks__Cluster__ClusterId="client-regeneration" \
  exec dotnet "$server_dll"
) >"$work/server.log" 2>&1 &
server_pid=$!

document="$work/openapi.json"
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$http_port/openapi/v1.json" -o "$document" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The server stopped before serving its document:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 1
done
if [[ ! -s "$document" ]]; then
  echo "The server did not serve /openapi/v1.json within 120 s:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

# Indented, in the order served, so a change reads well in a diff; without "servers", which names the address this
# throw-away server happened to listen on (a client is given its base address when it is created).
jq 'del(.servers)' "$document" >"$here/openapi.json"

rm -rf "$here/Generated"
KIOTA_TUTORIAL_ENABLED=false KIOTA_OFFLINE_ENABLED=true dotnet kiota generate \
  --openapi "$here/openapi.json" \
  --language CSharp \
  --class-name WebhooksApiClient \
  --namespace-name Webhooks.Client.Generated \
  --output "$here/Generated" \
  --exclude-backward-compatible \
  --clean-output \
  --log-level Warning
# The generator's lock file records the absolute path of the document; the checked-in openapi.json says what it was.
rm -f "$here/Generated/kiota-lock.json" "$here/Generated/.kiota.log"
# What is committed must compile under the repository's rules (warnings as errors).
dotnet build "$here/Webhooks.Client.csproj" --nologo -v q -clp:ErrorsOnly
echo "Regenerated $here/Generated from the served document ($(jq -r '.paths | length' "$here/openapi.json") paths)."
