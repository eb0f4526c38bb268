#!/usr/bin/env bash
# Runs the tests: installs what is missing (scripts/setup.sh), builds the solution, installs the model weights, runs
# the tests and prints one closing line `tests: N passed, N failed, N skipped`.
#   ./test.sh            every test: the fast set (tests/CrosswalkWatch.UnitTests), then the integration and
#                        end-to-end set (tests/CrosswalkWatch.IntegrationTests) against real services the tests start
#                        on 127.0.0.1 (RTSP server, mosquitto, PostgreSQL, Chromium, the ONNX models)
#   ./test.sh fast       only the fast set: pure logic, no child process, network, database or model (seconds)
# Extra arguments go to `dotnet test` (e.g. `./test.sh --filter Rtsp`, `./test.sh fast --filter YieldRule`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

projects=(UnitTests IntegrationTests)
if [[ "${1:-}" == "fast" ]]; then
  shift
  projects=(UnitTests)
  echo "test: building the fast tests (Release)"
  dotnet build tests/CrosswalkWatch.UnitTests/CrosswalkWatch.UnitTests.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
else
  scripts/setup.sh
  echo "test: building the solution (Release)"
  dotnet build CrosswalkWatch.sln -c Release --nologo -v quiet -clp:ErrorsOnly
  if ! dotnet src/Cli/bin/Release/net10.0/linux-x64/cww.dll models install; then
    scripts/setup.sh models-help
    exit 1
  fi
fi

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
for project in "${projects[@]}"; do
  echo "test: running CrosswalkWatch.$project"
  dotnet test "tests/CrosswalkWatch.$project/CrosswalkWatch.$project.csproj" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$project.trx" --results-directory "$RESULTS" "$@" \
    || status=$?
done

# The failed tests by name with their first message line (a CI that keeps only the log's tail still shows them), then
# one closing line any CI can read, summed over the projects; a project that wrote no results counts as a failure.
python3 - "$RESULTS" "${projects[@]}" <<'PY' || status=1
import os, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
results, projects = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0
missing = []
for project in projects:
    path = os.path.join(results, project + ".trx")
    if not os.path.exists(path):
        missing.append(project)
        continue
    root = ET.parse(path).getroot()
    for result in root.iterfind("t:Results/t:UnitTestResult", ns):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = (result.findtext("t:Output/t:ErrorInfo/t:Message", "", ns).strip().splitlines() or [""])[0]
            print(f"FAILED {result.get('testName')}: {message[:300]}")
    c = root.find("t:ResultSummary/t:Counters", ns).attrib
    passed += int(c["passed"])
    failed += sum(int(c.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
    skipped += int(c.get("notExecuted", 0))
note = f" (no results from {', '.join(missing)}; see the output above)" if missing else ""
print(f"tests: {passed} passed, {failed + len(missing)} failed, {skipped} skipped{note}")
sys.exit(1 if missing else 0)
PY
exit "$status"
