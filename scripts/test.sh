#!/usr/bin/env bash
# Runs every Omnichat test and ends with one line: "N passed, N failed, N skipped".
# Installs what the tests need when it is missing and the script runs as root (Debian packages):
#   - PostgreSQL server binaries (the tests start a throwaway server themselves);
#   - Node.js and npm (the widget is built by the .NET build and unit-tested with vitest);
#   - Chromium (end-to-end tests drive /usr/bin/chromium with Playwright).
# Exit code is non-zero when anything failed or the run itself broke.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "missing $* and not root: install it yourself (tests that need it will skip locally, fail under CI)"
    return 0
  fi
  if [ "$apt_updated" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    apt_updated=1
  fi
  log "installing $*"
  # policy-rc.d 101: do not start the distribution's own service; the tests start their own server.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
  local rc=$?
  rm -f /usr/sbin/policy-rc.d
  return $rc
}

if ! command -v dotnet >/dev/null 2>&1; then
  log "the .NET SDK 10 (dotnet) is required; see README.md"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql || { log "could not install postgresql"; }
fi
if ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm || { log "could not install nodejs/npm"; }
fi
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium || { log "could not install chromium"; }
fi
if ! command -v runuser >/dev/null 2>&1; then
  apt_install util-linux || true
fi

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

log "building"
if ! dotnet build Omnichat.slnx -c Release -nologo -v:minimal >&2; then
  log "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

log "testing the widget (types, unit tests)"
widget_rc=0
( cd widget && npx --no-install tsc --noEmit -p . >&2 ) || { log "widget type check failed"; widget_rc=1; }
( cd widget && npx --no-install vitest run --reporter=default --reporter=junit --outputFile.junit="$results/widget-junit.xml" >&2 ) || widget_rc=1

log "testing .NET"
dotnet test Omnichat.slnx -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" >&2
test_rc=$?

passed=0 failed=0 skipped=0
shopt -s nullglob
count_outcome() { grep -o '<UnitTestResult [^>]*>' "$1" | grep -c "outcome=\"$2\"" || true; }
for trx in "$results"/*.trx; do
  passed=$((passed + $(count_outcome "$trx" Passed)))
  failed=$((failed + $(count_outcome "$trx" Failed)))
  skipped=$((skipped + $(count_outcome "$trx" NotExecuted)))
done

junit_attr() { grep -o "<testsuites[^>]*" "$1" | head -n 1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
for junit in "$results"/*-junit.xml; do
  total=$(junit_attr "$junit" tests); bad=$(( $(junit_attr "$junit" failures) + $(junit_attr "$junit" errors) ))
  skip=$(grep -c "<skipped" "$junit" || true)
  passed=$((passed + total - bad - skip)); failed=$((failed + bad)); skipped=$((skipped + skip))
done
if [ "$widget_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner broke without reporting a failed test (crash, missing results): count it as one.
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
