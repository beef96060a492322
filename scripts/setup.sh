#!/usr/bin/env bash
# setup.sh [--check]: the Debian packages the rig needs (.ci/packages, and
# from the backports suite on Debian 12: meson and pycotap, as QEMU 10.0
# needs meson >= 1.5).  Installs what is missing when run as root; as
# another user it stops and prints the one command that does.  With
# --check it only says what is missing (exit 1 if anything is).  "make"
# and "make test" run it first; so does .ci/run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
check_only=
[ "${1:-}" = --check ] && check_only=1

# version P: the installed version of package P, if it is installed.
version() {
    dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
        sed -n 's/^install ok installed //p'
}

# The packages not installed, from the list in .ci/packages.
missing=
for p in $(grep -v '^#' "$top/.ci/packages"); do
    [ -n "$(version "$p")" ] || missing="$missing $p"
done

# From bookworm-backports on Debian 12: meson >= 1.5 and pycotap, which
# QEMU 10.0's build needs.  The emulated machine is no Debian package: it
# is the rig's own QEMU 10.0.13 (scripts/build-qemu.sh builds
# qemu-system-x86_64 beside the device model), with Debian's seabios
# (.ci/packages).  Debian 12's QEMU 7.2 would not do: under TCG it ends a
# translation block too late after STI, so an interrupt pending then may
# never be taken (a bug found and fixed upstream after 7.2), and Xen lost
# its timer interrupt in the end-to-end test and stalled for good.
. /etc/os-release
backports=
meson=$(version meson)
if [ -z "$meson" ] || ! dpkg --compare-versions "$meson" ge 1.5 ||
   [ -z "$(version python3-pycotap)" ]; then
    backports="meson python3-pycotap"
fi

[ -z "$missing$backports" ] && exit 0

if [ -n "$check_only" ]; then
    echo "missing Debian packages:$missing${backports:+ $backports (backports)}"
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    echo "The rig needs Debian packages that are not installed:" >&2
    echo " $missing${backports:+ $backports (from ${VERSION_CODENAME:-bookworm}-backports)}" >&2
    echo "Install them with:" >&2
    echo "    sudo $top/scripts/setup.sh" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
suite=
if [ -n "$backports" ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then
    suite=bookworm-backports
    if ! grep -rqs "$suite" /etc/apt/sources.list /etc/apt/sources.list.d/; then
        uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
              grep -v security | head -1)
        [ -n "$uri" ] ||
            uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
                      /etc/apt/sources.list 2>/dev/null)
        [ -n "$uri" ] || { echo "cannot find the Debian archive in apt's sources" >&2; exit 1; }
        echo "deb $uri $suite main" > /etc/apt/sources.list.d/$suite.list
    fi
fi
echo "setup: installing$missing${backports:+ $backports}" >&2
apt-get update -q >/dev/null
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y -q --no-install-recommends $missing >/dev/null
# shellcheck disable=SC2086
[ -z "$backports" ] ||
    apt-get install -y -q --no-install-recommends ${suite:+-t $suite} $backports >/dev/null
# A system libxen-dev must not be what the tools build against.
if dpkg -s libxen-dev >/dev/null 2>&1; then
    echo "note: libxen-dev is installed; the rig builds against its own tree" >&2
fi
"$0" --check
