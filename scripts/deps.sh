#!/bin/bash
# Install the Debian packages the harness needs, or say how to.
. "$(dirname "$0")/lib.sh"

PKGS="make gcc git flex bison bc libelf-dev libssl-dev cpio gzip xz-utils
kmod rsync python3 python3-ply python3-git perl ccache sparse dpkg qemu-system-x86 qemu-system-arm
gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-i686-linux-gnu libc6-dev-i386-cross
gcc-riscv64-linux-gnu"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	note "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $missing >/dev/null 2>&1 || {
		apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null
	} || die "apt-get install$missing failed"
else
	die "missing Debian packages; run: sudo apt-get install$missing"
fi
