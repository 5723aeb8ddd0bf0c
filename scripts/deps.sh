#!/bin/sh
# Install what bpfrec needs to build and test, from Debian's packages.
# Skips apt entirely when everything is already there. Arguments: more
# packages (what one script alone needs: valgrind, gcovr).
set -eu
# The tests also run: sqlite3 (a stock reader of the database), setpriv,
# mountpoint, taskset (util-linux), mount (a tmpfs for disk full; losetup), git
# (tests/mutants/run.sh), strace (the independent observer of e2e-io),
# linux-libc-dev (the errno names are generated from its headers).
PKGS="build-essential meson ninja-build pkg-config clang llvm bpftool
libbpf-dev libelf-dev zlib1g-dev libzstd-dev libsqlite3-dev sqlite3
python3 util-linux mount coreutils git strace linux-libc-dev $*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "deps: need root to install:$missing" >&2; exit 1; }
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
