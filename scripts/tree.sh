#!/bin/bash
# Create build/linux: a git tree with the base kernel as commit 'base' and
# one commit per patch of patches/series on top, topic after topic in the
# order the file lists them.
. "$(dirname "$0")/lib.sh"

GIT="git -C $TREE -c user.name=lockless-pgtable -c user.email=lpt@localhost"
export GIT_COMMITTER_DATE="2024-11-17 00:00:00 +0000"

if [ -d "$TREE/.git" ]; then
	"$TOP/scripts/export.sh" --check >/dev/null 2>&1 ||
		die "build/linux and patches/ differ: 'make export' saves the tree's" \
			"series into patches/, 'rm -rf build/linux' rebuilds the tree from patches/"
	note "build/linux is up to date with patches/ ($(cat "$BUILD/base-version"))"
	exit 0
fi

rm -rf "$TREE"
mkdir -p "$TREE"
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/mm" ] ||
		die "KSRC=$KSRC is not a kernel source tree"
	note "copying $KSRC"
	rsync -a --exclude=.git "$KSRC/" "$TREE/"
	desc="local tree $KSRC"
else
	deb=$("$TOP/scripts/apt.sh" get "linux-source-6.12=$BASE_VERSION" 2>/dev/null) || {
		note "Debian linux-source-6.12 $BASE_VERSION is gone; using the newest"
		deb=$("$TOP/scripts/apt.sh" get linux-source-6.12)
	} || die "cannot get Debian's linux-source-6.12. Either let the" \
		"harness reach deb.debian.org (trixie), or point KSRC=/path/to/linux-6.12.y" \
		"at an existing 6.12 tree"
	BASE_VERSION=$(basename "$deb" | sed 's/^linux-source-6.12_//; s/_all.deb$//')
	note "extracting linux-source-6.12 $BASE_VERSION"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards '*/linux-source-6.12.tar.xz' |
		tar -xJ -C "$TREE" --strip-components=1
	desc="Debian $BASE_VERSION"
fi
ver=$(make -s -C "$TREE" kernelversion 2>/dev/null) || die "no kernel Makefile in $TREE"
case $ver in 6.12.*) ;; *) die "base is linux $ver, not 6.12" ;; esac
echo "linux $ver ($desc)" >"$BUILD/base-version"

note "committing base: $(cat "$BUILD/base-version")"
git init -q -b work "$TREE"
$GIT config gc.auto 0
$GIT add -A -f .
$GIT commit -q -m "base: $(cat "$BUILD/base-version")" \
	--date="$GIT_COMMITTER_DATE"
$GIT tag base

for p in $(series_patches); do
	$GIT am -q --whitespace=error-all "$TOP/patches/$p" >/dev/null 2>&1 || {
		$GIT am --abort >/dev/null 2>&1 || true
		die "patch $p does not apply to $(cat "$BUILD/base-version") + the patches before it"
	}
done
note "build/linux: base + $($GIT rev-list --count base..HEAD) patches, topics:" \
	"$(for t in $(series_topics); do printf '%s (%d) ' "$t" "$(topic_patches "$t" | wc -l)"; done)"
