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
started=$SECONDS
for tool in dpkg-deb strip objdump; do
    command -v "$tool" >/dev/null \
        || { echo "make package needs $tool (apt-get install dpkg binutils)" >&2; exit 1; }
done
step() { printf '\n== %s (%d s)\n' "$*" $((SECONDS - started)); }

rm -rf dist build/pyinstaller
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
deb=$(bash packaging/deb/build-deb.sh "$bundle" "$version" dist)

step "done"
size() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.1f MiB", s / 1048576}'; }
echo "bundle  $(size "$bundle") unpacked, $(find "$bundle" -type f | wc -l) files  $bundle"
for f in "$tarball" "$deb" dist/*.whl dist/neural_playground-*.tar.gz; do
    echo "        $(size "$f")  $f"
done
