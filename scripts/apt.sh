#!/bin/bash
# Download Debian trixie packages into the cache with a private apt
# configuration (its own sources list, lists and cache under $CACHE/apt).
# The system's apt setup is never read or changed.
#
#   apt.sh update                  refresh the private package lists
#   apt.sh version PKG[:ARCH]      print the candidate version
#   apt.sh get PKG[:ARCH][=VER]    download the .deb, print its path
. "$(dirname "$0")/lib.sh"

SUITE=${DEBIAN_SUITE:-trixie}
OLD_SUITE=bookworm
A=$CACHE/apt
KEY=/usr/share/keyrings/debian-archive-keyring.gpg

# amd64 and arm64 share one set of lists and cache. Any other architecture
# (i386) has its own, so that an index of it failing verification never
# holds back theirs: apt keeps all old lists of a repository when one of
# its indexes fails. Its lists also have $OLD_SUITE, whose older versions
# apt picks only when the mirror has no index of $SUITE for it that
# verifies (trixie's i386 ones, here); `get` says so.
arch=$(echo "${2:-}" | sed -n 's/^[^:=]*:\([^=]*\).*/\1/p')
case ${arch:-amd64} in
amd64 | arm64)
	L=$A/lists C=$A/cache
	archs="amd64 arm64"
	suites=$SUITE
	;;
*)
	L=$A/lists-$arch C=$A/cache-$arch
	archs=$arch
	suites="$SUITE $OLD_SUITE"
	;;
esac
mkdir -p "$L/partial" "$C/archives/partial" "$CACHE/debs"
for s in $suites; do
	echo "deb [signed-by=$KEY] http://deb.debian.org/debian $s main"
	echo "deb [signed-by=$KEY] http://deb.debian.org/debian-security $s-security main"
	[ "$s" != "$SUITE" ] || echo "deb [signed-by=$KEY] http://deb.debian.org/debian $s-backports main"
done >"$L.list"

papt() {
	local cmd=$1 a
	shift
	"$cmd" -q -o Dir::Etc::SourceList="$L.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$L" -o Dir::Cache="$C" \
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1 \
		-o APT::Sandbox::User="$(id -un)" \
		-o APT::Architecture="${archs%% *}" \
		$(for a in $archs; do echo "-o APT::Architectures::=$a"; done) \
		"$@"
}

update() {
	# Refresh at most once a day.
	if [ -z "$(find "$L" -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		papt apt-get update >"$L.log" 2>&1 ||
			papt apt-get update >"$L.log" 2>&1 ||
			[ -n "$(find "$L" -name '*Packages*')" ] ||
			die "cannot reach Debian $SUITE (see $L.log)"
	fi
}

case ${1:-} in
update)
	update
	;;
version)
	update
	papt apt-cache policy "$2" | sed -n 's/^ *Candidate: //p' | grep -v none ||
		die "package $2 not found in Debian $SUITE"
	;;
get)
	update
	pkg=$2
	[ "${pkg%%=*}" = "$pkg" ] && pkg="$pkg=$("$0" version "$pkg")"
	name=${pkg%%=*} ver=${pkg#*=}
	base=${name%%:*} arch=all
	[ "$base" != "$name" ] && arch=${name#*:}
	ver=${ver#*:}
	from=$(papt apt-cache madison "$base" | awk -F' *[|] *' -v v="${pkg#*=}" \
		'$2 == v && !u[2] { split($3, u, " "); print u[2] }')
	case $from in
	"$SUITE"/* | "$SUITE"-*/* | "") ;;
	*) note "$pkg is from Debian $from: $SUITE has no $arch index that verifies (see $L.log)" ;;
	esac
	deb=$(ls "$CACHE"/debs/"${base}_"*"${ver}_"*.deb 2>/dev/null | grep -E "_($arch|all)\.deb$" | head -n 1) || true
	if [ -z "$deb" ]; then
		(cd "$CACHE/debs" && papt apt-get download "$pkg" >/dev/null 2>&1) ||
			die "cannot download $pkg from Debian $SUITE"
		deb=$(ls "$CACHE"/debs/"${base}_"*"${ver}_"*.deb | grep -E "_($arch|all)\.deb$" | head -n 1) ||
			die "apt-get download $pkg left no matching .deb in $CACHE/debs"
	fi
	echo "$deb"
	;;
*)
	die "usage: apt.sh update | version PKG[:ARCH] | get PKG[:ARCH][=VER]"
	;;
esac
