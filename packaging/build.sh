#!/usr/bin/env bash
# Build the Linux app: the PyInstaller one-folder bundle, then a versioned tarball with an
# installer for one user.
#
#     packaging/build.sh          # → dist/alignment-workbench-VERSION-linux-x86_64.tar.gz
#
# Needs the project's venv with the `bundle` extra: .venv/bin/pip install -e '.[test,bundle]'.
# A few minutes on two cores. build/ and dist/ are scratch: never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
version=$("$python" -c 'from workbench import __version__; print(__version__)')
arch=$(uname -m)
name="alignment-workbench-$version-linux-$arch"

"$python" -c 'import PyInstaller' 2>/dev/null || {
  echo "PyInstaller is missing: .venv/bin/pip install -e '.[test,bundle]'" >&2; exit 1; }

rm -rf build/icons "dist/alignment-workbench" "dist/$name" "dist/$name.tar.gz"
QT_QPA_PLATFORM=offscreen "$python" packaging/render_icons.py build/icons >/dev/null
"$python" -m PyInstaller packaging/alignment-workbench.spec --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller
# The interpreter's libraries, cryptography's and PDFium carry symbol tables (29 MB) that
# nothing needs at run time.
if command -v strip >/dev/null; then
  internal=dist/alignment-workbench/_internal
  strip --strip-unneeded "$internal"/libpython3*.so* "$internal"/python3*/lib-dynload/*.so \
    "$internal"/cryptography/hazmat/bindings/_rust.abi3.so "$internal"/pypdfium2_raw/libpdfium.so
fi

# The tarball: the app folder, what the desktop needs to list and open it, and install.sh.
stage="dist/$name"
mkdir -p "$stage/share"
mv dist/alignment-workbench "$stage/app"
cp -r build/icons/hicolor "$stage/share/icons"
cp packaging/alignment-workbench.desktop packaging/alignment-workbench-mime.xml \
   packaging/io.github.alignmentworkbench.metainfo.xml "$stage/share/"
sed "s/@VERSION@/$version/" packaging/install.sh > "$stage/install.sh"
chmod 755 "$stage/install.sh"
tar -C dist -czf "dist/$name.tar.gz" "$name"
echo "Built dist/$name.tar.gz ($(du -sh "$stage/app" | cut -f1) unpacked app," \
     "$(du -h "dist/$name.tar.gz" | cut -f1) packed)"
