#!/usr/bin/env bash
# Run `neural-playground --smoke-test` from what `make package` built, the way users get it:
#   1. the one-folder bundle         dist/neural-playground/
#   2. the .tar.gz                   unpacked into a temporary folder
#   3. the .deb                      unpacked with dpkg-deb -x into a temporary root, its
#                                    layout and control fields checked too
# Offscreen (no display needed), with HOME and the XDG folders in a temporary place. Each run
# must print SMOKE OK, exit 0 and leave its install folder exactly as it was (the app never
# writes beside itself). Stops at the first failure with a non-zero exit.
#   usage: packaging/smoke-test.sh [DIST_FOLDER]      (default: dist)
set -euo pipefail
dist=${1:-dist}
name=neural-playground
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export QT_QPA_PLATFORM=offscreen HOME=$tmp/home XDG_RUNTIME_DIR=$tmp/runtime
export XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share
export XDG_CACHE_HOME=$tmp/home/.cache

fail() { echo "smoke-test: FAILED: $*" >&2; exit 1; }
only() { # the one file matching a glob
    local matches=("$@")
    [[ ${#matches[@]} -eq 1 && -e ${matches[0]} ]] || fail "expected one $1 in $dist"
    echo "${matches[0]}"
}
tree_state() { find "$1" -printf '%P %y %s %T@\n' | sort | md5sum; }

smoke() { # LABEL EXECUTABLE
    local label=$1 exe=$2 folder before started out status=0
    [[ -x $exe ]] || fail "$label: no executable $exe"
    folder=$(dirname "$exe")
    before=$(tree_state "$folder")
    started=${EPOCHREALTIME/./}
    out=$(timeout 180 "$exe" --smoke-test 2>"$tmp/stderr") || status=$?
    if ((status != 0)) || ! grep -q '^SMOKE OK' <<<"$out"; then
        cat "$tmp/stderr" >&2
        fail "$label: exit status $status, output: ${out:-nothing}"
    fi
    [[ $(tree_state "$folder") == "$before" ]] || fail "$label: the app wrote into $folder"
    local ms=$(((${EPOCHREALTIME/./} - started) / 1000))
    printf 'ok  %-7s %5d ms  %s\n' "$label" "$ms" "$out"
    passed=$((passed + 1))
}
passed=0

smoke bundle "$dist/$name/$name"

tarball=$(only "$dist"/$name-*-linux-*.tar.gz)
mkdir "$tmp/tar"
tar -C "$tmp/tar" -xzf "$tarball"
smoke tar.gz "$(only "$tmp"/tar/$name-*/$name)"

deb=$(only "$dist"/${name}_*.deb)
root=$tmp/deb
dpkg-deb -x "$deb" "$root"
[[ $(dpkg-deb -f "$deb" Package) == "$name" ]] || fail ".deb: wrong Package field"
if dpkg-deb -f "$deb" Depends | grep -qi python; then
    fail ".deb depends on a Python package of the system: $(dpkg-deb -f "$deb" Depends)"
fi
[[ $(readlink "$root/usr/bin/$name") == /opt/$name/$name ]] \
    || fail ".deb: /usr/bin/$name does not point at /opt/$name/$name"
desktop=$root/usr/share/applications/$name.desktop
grep -q "^Exec=$name " "$desktop" || fail ".deb: the menu entry does not run $name"
grep -q '^MimeType=application/x-neural-playground;' "$desktop" \
    || fail ".deb: the menu entry does not claim application/x-neural-playground"
grep -q 'glob pattern="\*.nplay"' "$root/usr/share/mime/packages/$name.xml" \
    || fail ".deb: no MIME type for *.nplay"
for size in 16 32 48 64 128 256; do
    [[ -s $root/usr/share/icons/hicolor/${size}x$size/apps/$name.png ]] \
        || fail ".deb: no ${size}px icon"
done
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail ".deb: desktop-file-validate rejects the menu entry"
fi
smoke .deb "$root/opt/$name/$name"
echo "tested $(basename "$tarball") and $(basename "$deb")"
echo "smoke-test: $passed passed, 0 failed"
