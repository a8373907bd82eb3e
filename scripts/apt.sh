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
A=$CACHE/apt
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$CACHE/debs"
cat >"$A/sources.list" <<EOS
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $SUITE-security main
EOS

papt() {
	local cmd=$1
	shift
	"$cmd" -q -o Dir::Etc::SourceList="$A/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache" \
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1 \
		-o APT::Sandbox::User="$(id -un)" \
		-o APT::Architecture=amd64 \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		"$@"
}

update() {
	# Refresh at most once a day.
	if [ -z "$(find "$A/lists" -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		papt apt-get update >"$A/update.log" 2>&1 ||
			papt apt-get update >"$A/update.log" 2>&1 ||
			[ -n "$(find "$A/lists" -name '*Packages*')" ] ||
			die "cannot reach Debian $SUITE (see $A/update.log)"
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
	deb=$(ls "$CACHE"/debs/"${base}_"*"${ver}_"*.deb 2>/dev/null | grep -E "_($arch|all)\.deb$" | head -n 1) || true
	if [ -z "$deb" ]; then
		(cd "$CACHE/debs" && papt apt-get download "$pkg" >/dev/null 2>&1) ||
			die "cannot download $pkg from Debian $SUITE"
		deb=$(ls "$CACHE"/debs/"${base}_"*"${ver}_"*.deb | grep -E "_($arch|all)\.deb$" | head -n 1)
	fi
	echo "$deb"
	;;
*)
	die "usage: apt.sh update | version PKG[:ARCH] | get PKG[:ARCH][=VER]"
	;;
esac
