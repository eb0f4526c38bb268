#!/usr/bin/env bash
# Makes the installable package of CrosswalkWatch for Debian 12 (amd64):
#   - a self-contained build (dotnet publish: the box needs no .NET SDK or runtime) in /opt/crosswalkwatch,
#   - /usr/bin/cww, the systemd units crosswalkwatch-edge, crosswalkwatch-console and crosswalkwatch-central@N,
#   - /etc/crosswalkwatch/cww.yaml (a conffile), data in /var/lib/crosswalkwatch, the system user crosswalkwatch,
#   - model weights installed at install time (packaging/debian/postinst).
# Usage: scripts/package.sh [--out DIR]   (default DIR: var/package). Prints the .deb's path on its last line.
# Install:  CWW_MODELS_FROM=/path/to/models dpkg -i var/package/crosswalkwatch_VERSION_amd64.deb
# The build goes to its own artifacts folder, so it never touches the bin/ and obj/ folders ./cww and the tests use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/var/package"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for tool in dotnet dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "package: $tool not found (run scripts/setup.sh)" >&2; exit 1; }
done

# 1.0.0+N: N commits on top, so every build of main sorts after the one before.
COUNT="$(git -C "$ROOT" rev-list --count HEAD 2>/dev/null || echo 0)"
VERSION="1.0.0+$COUNT"
WORK="$ROOT/var/package-build"
STAGE="$WORK/root"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$OUT"

echo "package: publishing a self-contained build (dotnet publish, Release, linux-x64)…" >&2
if ! dotnet publish "$ROOT/src/Cli/Cli.csproj" -c Release -r linux-x64 --self-contained true \
      --artifacts-path "$WORK/artifacts" -o "$STAGE/opt/crosswalkwatch" --nologo -v quiet -clp:ErrorsOnly > "$WORK/publish.log" 2>&1; then
  cat "$WORK/publish.log" >&2
  echo "package: dotnet publish failed (output above, also in $WORK/publish.log)" >&2
  exit 1
fi
# Symbols and the Windows build of ONNX Runtime are of no use on the box.
find "$STAGE/opt/crosswalkwatch" -name '*.pdb' -delete
rm -f "$STAGE/opt/crosswalkwatch/onnxruntime.dll"

install -d "$STAGE/usr/bin" "$STAGE/etc/crosswalkwatch" "$STAGE/lib/systemd/system" "$STAGE/usr/share/doc/crosswalkwatch"
ln -s /opt/crosswalkwatch/cww "$STAGE/usr/bin/cww"
install -m 0644 "$ROOT/packaging/cww.yaml" "$STAGE/etc/crosswalkwatch/cww.yaml"
install -m 0644 "$ROOT"/packaging/systemd/*.service "$STAGE/lib/systemd/system/"
install -m 0644 "$ROOT/README.md" "$STAGE/usr/share/doc/crosswalkwatch/README.md"
install -m 0644 "$ROOT/packaging/debian/conffiles" "$STAGE/DEBIAN/conffiles"
install -m 0755 "$ROOT/packaging/debian/postinst" "$ROOT/packaging/debian/prerm" "$ROOT/packaging/debian/postrm" "$STAGE/DEBIAN/"
SIZE="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE/" "$ROOT/packaging/debian/control" > "$STAGE/DEBIAN/control"

DEB="$OUT/crosswalkwatch_${VERSION}_amd64.deb"
echo "package: building $DEB…" >&2
# gzip at level 1: a third of the size in seconds (xz takes minutes on two cores for a few percent more).
dpkg-deb --root-owner-group -Zgzip -z1 --build "$STAGE" "$DEB" >&2
rm -rf "$STAGE"
echo "$DEB"
