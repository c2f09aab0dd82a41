#!/usr/bin/env bash
# macOS: "Neural Playground.app" (packaging/neural-playground.spec) in a compressed .dmg with
# an Applications link to drag it onto. Cannot run on the Linux build machine; CI runs it on
# macOS (.github/workflows/installers.yml):
#   PYTHON=.venv/bin/python bash packaging/macos/build-dmg.sh
# -> dist/neural-playground-VERSION-macos.dmg. The app is not notarised: the first start needs
# right-click ▸ Open, or for a whole lab: xattr -dr com.apple.quarantine "/Applications/Neural Playground.app"
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
version=$("$PY" -c 'from importlib.metadata import version; print(version("neural-playground"))')
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/neural-playground.spec
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "dist/Neural Playground.app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Neural Playground $version" -srcfolder "$stage" -fs HFS+ -format UDZO \
    -ov "dist/neural-playground-$version-macos.dmg"
