#!/usr/bin/env bash
# Runs the whole test suite, on a fresh machine too: installs what the tests need and the machine lacks
# (Debian's Chromium for the web page's tests, PostgreSQL's server binaries for the cluster tests, the pinned OpenAPI
# linter from npm for the document's lint test), runs every test project, and ends with one line:
# "tests: N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (for example --filter FullyQualifiedName~ApiFuzzTests).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "Installing what the tests need: ${missing[*]}" >&2
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" || exit 1
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        echo "Installing what the tests need: ${missing[*]}" >&2
        sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" || exit 1
    else
        echo "The tests need Debian packages this machine lacks: ${missing[*]}." >&2
        echo "Install them once (apt-get install -y ${missing[*]}) as root, or run ./test.sh as root." >&2
        exit 1
    fi
fi

# The OpenAPI lint test runs the linter pinned in tests/openapi-lint (Node.js and npm are needed); install it once.
if [ ! -d tests/openapi-lint/node_modules ]; then
    echo "Installing the OpenAPI linter (npm ci in tests/openapi-lint)" >&2
    # A failure is reported by the lint test itself, with the rest of the run and its summary line.
    (cd tests/openapi-lint && npm ci --no-audit --no-fund) </dev/null || echo "npm ci failed; the OpenAPI lint test will say why" >&2
fi

results=TestResults
rm -rf "$results"
# A test that stops making progress for 5 minutes (the slowest takes about 30 s) is killed with its test host, and the
# run names it; the whole run is bounded too, so a hang ends as a failure with its evidence, never as a silent stall.
timeout --kill-after=30s 75m \
    dotnet test Webhooks.Orleans.sln --logger trx --results-directory "$results" \
    --blame-hang-timeout 5m --blame-hang-dump-type none "$@"
status=$?

# The counts come from the run's own result files (one per test project).
count() { cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # the run failed outside any test (a build error, a crashed test host): never report it green
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
