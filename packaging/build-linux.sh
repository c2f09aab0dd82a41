#!/usr/bin/env bash
# `make package` on Linux: everything in dist/.
#   dist/neural-playground/                          the PyInstaller one-folder bundle
#   dist/neural-playground-VERSION-linux-x86_64.tar.gz   that folder, for any Linux
#   dist/neural-playground_VERSION_amd64.deb         /opt/neural-playground + command, menu, MIME
#   dist/neural_playground-VERSION-py3-none-any.whl  and the sdist, for pip / pipx
# PYTHON is the virtual environment's python with PyInstaller and build installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
NAME=neural-playground
version=$("$PY" -c 'from importlib.metadata import version; print(version("neural-playground"))')
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
started=$SECONDS
for tool in dpkg-deb strip objdump; do
    command -v "$tool" >/dev/null || { echo "make package needs $tool: apt-get install dpkg binutils" >&2; exit 1; }
done
step() { printf '\n== %s (%d s)\n' "$*" $((SECONDS - started)); }

rm -rf dist build/pyinstaller build/deb
mkdir -p dist build

step "wheel and sdist"
"$PY" -m build --outdir dist . >build/python-build.log 2>&1 \
    || { tail -30 build/python-build.log; exit 1; }

step "one-folder bundle (PyInstaller)"
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/neural-playground.spec >build/pyinstaller.log 2>&1 \
    || { tail -40 build/pyinstaller.log; exit 1; }
# Expected and harmless: the gtk3 theme (dropped) wants GTK, pyqtgraph.opengl wants PyOpenGL.
grep -e WARNING -e ERROR build/pyinstaller.log \
    | grep -v -e "libgtk-3\|libgdk-3" -e "Ignoring icon" -e "pyqtgraph.opengl" || true
bundle=dist/$NAME

step ".tar.gz"
tarball=dist/$NAME-$version-linux-x86_64.tar.gz
tar -C dist --owner=0 --group=0 --transform "s,^$NAME,$NAME-$version," -czf "$tarball" "$NAME"

step ".deb"
root=build/deb/root
opt=$root/opt/$NAME
mkdir -p "$opt" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/mime/packages" \
    "$root/usr/share/doc/$NAME" "$root/usr/share/icons/hicolor/scalable/apps" "$root/DEBIAN"
cp -a "$bundle/." "$opt/"
ln -s "/opt/$NAME/$NAME" "$root/usr/bin/$NAME"
install -m 644 packaging/$NAME.desktop "$root/usr/share/applications/"
install -m 644 packaging/deb/$NAME.xml "$root/usr/share/mime/packages/"
install -m 644 packaging/deb/copyright "$root/usr/share/doc/$NAME/"
cp -r assets/icons/hicolor "$root/usr/share/icons/"
install -m 644 playground/app/resources/$NAME.svg "$root/usr/share/icons/hicolor/scalable/apps/"
chmod -R u=rwX,go=rX "$root"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
    packaging/deb/control >"$root/DEBIAN/control"
deb=dist/${NAME}_${version}_${arch}.deb
# xz -z1: 46 MB in 6 s (the default -z6 saves 6 MB and takes 110 s).
# No maintainer scripts: dpkg's triggers of shared-mime-info, desktop-file-utils and
# hicolor-icon-theme refresh the MIME, menu and icon caches.
dpkg-deb --root-owner-group -Zxz -z1 --build "$root" "$deb" >/dev/null

step "done"
size() { du -sh --apparent-size "$1" | cut -f1; }
echo "bundle  $(size "$bundle")B unpacked ($(find "$bundle" -type f | wc -l) files)  $bundle"
echo "tar.gz  $(size "$tarball")B  $tarball"
echo "deb     $(size "$deb")B  $deb"
for f in dist/*.whl dist/*.tar.gz; do [[ $f == "$tarball" ]] || echo "python  $(size "$f")B  $f"; done
