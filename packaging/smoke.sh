#!/usr/bin/env bash
# Smoke test of the built tarball, the way a user gets it: unpack, install.sh into a fresh
# home, then — with the installed app folder read-only and HOME empty — open the window
# headless on the demo workbook, and run the bundled command: new, info, import, score,
# every PDF export (checked by qpdf), and verify of a signed SLA; last, install.sh
# --uninstall must leave nothing behind.
#
#     packaging/smoke.sh [dist/alignment-workbench-VERSION-linux-x86_64.tar.gz]
#
# Run as root it drops to user nobody (setpriv), so "read-only" really is. The signed
# workbook is made by the source tree's Python (packaging/sign_demo.py): no command signs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-.venv/bin/python}
tarball=${1:-$(ls -t dist/alignment-workbench-*-linux-*.tar.gz 2>/dev/null | head -1)}
[ -f "$tarball" ] || { echo "smoke: no tarball; run packaging/build.sh first" >&2; exit 1; }
tarball=$(realpath "$tarball")

work=$(mktemp -d /tmp/aw-smoke.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
home="$work/home"        # where install.sh installs
empty="$work/empty-home" # HOME for the app's runs: nothing in it
files="$work/files"
mkdir -p "$home" "$empty" "$files"
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chown -R 65534:65534 "$work"
  chmod 755 "$work"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
in_home() {  # run as the user, with only HOME and PATH set (no display: offscreen)
  local home_dir=$1; shift
  env -i PATH=/usr/bin:/bin HOME="$home_dir" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "${as_user[@]}" "$@"
}
ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# --- install -------------------------------------------------------------------------
in_home "$home" tar -C "$work" -xzf "$tarball"
unpacked=$(find "$work" -maxdepth 1 -name 'alignment-workbench-*' -type d | head -1)
in_home "$home" "$unpacked/install.sh" >/dev/null
app="$home/.local/lib/alignment-workbench"
bin="$home/.local/bin/alignment-workbench"
share="$home/.local/share"
for path in "$bin" "$app/alignment-workbench" "$share/applications/alignment-workbench.desktop" \
    "$share/mime/packages/alignment-workbench.xml" \
    "$share/metainfo/io.github.alignmentworkbench.metainfo.xml" \
    "$share/icons/hicolor/scalable/apps/io.github.alignmentworkbench.svg"; do
  [ -e "$path" ] || fail "install.sh did not install $path"
done
for size in 16 24 32 48 64 128 256; do
  [ -f "$share/icons/hicolor/${size}x$size/apps/io.github.alignmentworkbench.png" ] \
    || fail "no ${size}x$size icon"
done
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$share/applications/alignment-workbench.desktop" \
    || fail "the installed desktop entry does not validate"
fi
if command -v update-mime-database >/dev/null; then
  [ -f "$share/mime/application/x-alignment-workbench.xml" ] \
    || fail "the MIME database does not know application/x-alignment-workbench"
fi
ok "install.sh installed the app, launcher, desktop entry, icons, MIME type and metainfo"

chmod -R a-w "$app"
touch "$work/before"
aw() { in_home "$empty" "$bin" "$@"; }

# --- the window ----------------------------------------------------------------------
out=$(aw --smoke-test --demo 2>&1) || fail "the window did not open and close: $out"
echo "$out" | grep -q "areas shown$" || fail "not every area was shown: $out"
ok "window on the demo workbook, every area shown ($(echo "$out" | grep 'areas shown'))"
version=$(basename "$tarball" | sed -E 's/^alignment-workbench-(.*)-linux-.*$/\1/')
libraries=$("$python" -c 'import sys; sys.path.insert(0, "packaging"); import bundle_data as b
names = b.shipped_distributions(); print(len(names), "libraries:", ", ".join(names))')
echo "$out" | grep -qxF "smoke test: About: version $version; $libraries" \
  || fail "About differs from the source's (less pip): $(echo "$out" | grep About)"
ok "Help: About names version $version and the ${libraries%%:*}; the guide and licences are there"

# One app per user: a second start hands its workbook to the running app and ends.
( exec env -i PATH=/usr/bin:/bin HOME="$empty" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "${as_user[@]}" "$bin" --demo >/dev/null 2>&1 ) &
first=$!
for _ in $(seq 150); do  # its socket appears in the temporary folder once it listens
  [ -n "$(find /tmp -maxdepth 1 -name 'alignment-workbench-*' -newer "$work/before" \
    2>/dev/null)" ] && break
  sleep 0.2
done
socket=$(find /tmp -maxdepth 1 -name 'alignment-workbench-*' -newer "$work/before" | head -1)
out=$(timeout 60 env -i PATH=/usr/bin:/bin HOME="$empty" LANG=C.UTF-8 \
  QT_QPA_PLATFORM=offscreen "${as_user[@]}" "$bin" --demo 2>&1) \
  || { kill "$first"; fail "a second start did not end: $out"; }
kill "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
rm -f "$socket"
[ -z "$out" ] || fail "a second start did not hand over to the first: $out"
ok "one app per user: a second start handed over to the running app (QtNetwork's local socket)"

# --- the command line ----------------------------------------------------------------
demo="$files/Demo.awb"
aw new "$demo" --template demo >/dev/null || fail "new --template demo"
aw info "$demo" | grep -q "Leads:" || fail "info printed no summary"
ok "new, info"
aw import "$demo" "$root/tests/fixtures/hubspot_contacts.csv" --preset hubspot >/dev/null \
  || fail "import of a HubSpot export"
aw score "$demo" >/dev/null || fail "score"
ok "import (HubSpot preset), score"
for kind in sla funnel qbr workshop; do
  pdf="$files/$kind.pdf"
  aw export "$kind" "$demo" -o "$pdf" >/dev/null || fail "export $kind"
  if command -v qpdf >/dev/null; then
    qpdf --check "$pdf" >/dev/null || fail "qpdf --check $kind.pdf"
  fi
done
ok "export sla, funnel, qbr, workshop$(command -v qpdf >/dev/null && echo ', each passes qpdf --check')"

signed="$files/Signed.awb"
"$python" "$root/packaging/sign_demo.py" "$signed" >/dev/null
[ ${#as_user[@]} -eq 0 ] || chown 65534:65534 "$signed"
aw export sla "$signed" -o "$files/signed.pdf" | grep -q "(signed)" || fail "export signed SLA"
aw export root "$signed" -o "$files/root.pem" >/dev/null || fail "export root"
aw verify "$files/signed.pdf" --trust-workbook "$signed" | grep -q VALID \
  || fail "verify --trust-workbook"
aw verify "$files/signed.pdf" --trust "$files/root.pem" >/dev/null || fail "verify --trust"
if aw verify "$files/signed.pdf" >/dev/null; then fail "verify trusted nothing, yet passed"; fi
if command -v qpdf >/dev/null; then
  qpdf --check "$files/signed.pdf" >/dev/null || fail "qpdf --check signed.pdf"
fi
ok "verify of a signed SLA: valid with its root, refused without"

[ -z "$(find "$app" -newer "$work/before" -print -quit)" ] || fail "the app wrote to its folder"
ok "read-only app folder and an empty HOME: nothing written to the app's folder"

# --- uninstall -----------------------------------------------------------------------
chmod -R u+w "$app"
in_home "$home" "$unpacked/install.sh" --uninstall >/dev/null
left=$(find "$home" -iname '*alignment*' -print)
[ -z "$left" ] || fail "install.sh --uninstall left: $left"
ok "install.sh --uninstall removed everything it installed"
echo "smoke: all passed ($(basename "$tarball"))"
