#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/setup.sh), builds the solution, installs the model weights,
# runs the tests against real services (RTSP server, models…) that the tests start on 127.0.0.1, and prints one
# closing line `tests: N passed, N failed, N skipped`. Extra arguments go to `dotnet test` (e.g. --filter Rtsp).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/setup.sh
echo "test: building the solution (Release)"
dotnet build CrosswalkWatch.sln -c Release --nologo -v quiet -clp:ErrorsOnly
if ! dotnet src/Host/bin/Release/net10.0/linux-x64/cww.dll models install; then
  scripts/setup.sh models-help
  exit 1
fi

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
dotnet test tests/CrosswalkWatch.Tests/CrosswalkWatch.Tests.csproj -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" --results-directory "$RESULTS" "$@" || status=$?

# One closing line any CI can read.
if [[ -f "$RESULTS/tests.trx" ]]; then
  python3 - "$RESULTS/tests.trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
c = ET.parse(sys.argv[1]).getroot().find("t:ResultSummary/t:Counters", ns).attrib
skipped = int(c.get("notExecuted", 0))
print(f"tests: {c['passed']} passed, {int(c['failed']) + int(c.get('error', 0)) + int(c.get('timeout', 0)) + int(c.get('aborted', 0))} failed, {skipped} skipped")
PY
else
  echo "tests: 0 passed, 1 failed (no test results were written; see the output above)"
  status=1
fi
exit "$status"
