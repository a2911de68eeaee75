#!/bin/sh
# Alignment Workbench @VERSION@: install for this user only (no root needed), into ~/.local.
#
#     ./install.sh              install (or update) from the folder this script is in
#     ./install.sh --uninstall  remove everything install.sh put there
#
# Puts the app in ~/.local/lib/alignment-workbench, the command in ~/.local/bin, and the
# menu entry, icons, the *.awb file type and the software-centre metadata in
# ~/.local/share. XDG_DATA_HOME, if set, replaces ~/.local/share.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix="$HOME/.local"
data="${XDG_DATA_HOME:-$prefix/share}"
app_dir="$prefix/lib/alignment-workbench"
command="$prefix/bin/alignment-workbench"
app_id=io.github.alignmentworkbench
desktop="$data/applications/alignment-workbench.desktop"
mime="$data/mime/packages/alignment-workbench.xml"
metainfo="$data/metainfo/$app_id.metainfo.xml"
sizes="16 24 32 48 64 128 256"

refresh() {  # tell the desktop its menu, file types and icons changed (when it can hear)
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" 2>/dev/null || true
  fi
  if command -v update-mime-database >/dev/null 2>&1 && [ -d "$data/mime" ]; then
    update-mime-database "$data/mime" >/dev/null 2>&1 || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 \
      && [ -f "$data/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
  fi
}

uninstall() {
  rm -rf "$app_dir"
  rm -f "$command" "$desktop" "$mime" "$metainfo" \
    "$data/icons/hicolor/scalable/apps/$app_id.svg" \
    "$data/icons/hicolor/scalable/mimetypes/application-x-alignment-workbench.svg"
  for size in $sizes; do
    rm -f "$data/icons/hicolor/${size}x$size/apps/$app_id.png" \
      "$data/icons/hicolor/${size}x$size/mimetypes/application-x-alignment-workbench.png"
  done
  refresh
  echo "Alignment Workbench is uninstalled (your workbooks and settings are kept)."
}

install_app() {
  if [ ! -x "$here/app/alignment-workbench" ]; then
    echo "install.sh: no app/ beside this script: run it from the unpacked tarball" >&2
    exit 1
  fi
  mkdir -p "$prefix/lib" "$prefix/bin" "$data/applications" "$data/mime/packages" \
    "$data/metainfo"
  # Copy beside the old version first, then swap, so a failed copy leaves it working.
  rm -rf "$app_dir.new"
  cp -R "$here/app" "$app_dir.new"
  rm -rf "$app_dir"
  mv "$app_dir.new" "$app_dir"
  cat > "$command.new" <<EOF
#!/bin/sh
exec "$app_dir/alignment-workbench" "\$@"
EOF
  chmod 755 "$command.new"
  mv "$command.new" "$command"
  # The menu entry runs the installed command by its full path: ~/.local/bin is not on
  # every desktop session's PATH.
  sed "s|^Exec=alignment-workbench|Exec=$command|" "$here/share/alignment-workbench.desktop" \
    > "$desktop"
  cp "$here/share/alignment-workbench-mime.xml" "$mime"
  cp "$here/share/$app_id.metainfo.xml" "$metainfo"
  for size in $sizes scalable; do
    if [ "$size" = scalable ]; then dir=scalable; ext=svg; else dir=${size}x$size; ext=png; fi
    source="$here/share/icons/$dir/apps/$app_id.$ext"
    for kind in apps mimetypes; do
      mkdir -p "$data/icons/hicolor/$dir/$kind"
    done
    cp "$source" "$data/icons/hicolor/$dir/apps/$app_id.$ext"
    # A workbook's icon in file managers: the MIME type names the app's icon, and themes
    # that look up the type's own name find the same picture here.
    cp "$source" "$data/icons/hicolor/$dir/mimetypes/application-x-alignment-workbench.$ext"
  done
  refresh
  echo "Installed Alignment Workbench @VERSION@: $command"
  case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "Note: $prefix/bin is not on your PATH; the menu entry works regardless." ;;
  esac
}

case "${1:-}" in
  "") install_app ;;
  --uninstall) uninstall ;;
  *) echo "usage: install.sh [--uninstall]" >&2; exit 2 ;;
esac
