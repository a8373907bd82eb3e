#!/bin/bash
# Create build/<base>/linux: a git tree with the base kernel as commit 'base' and
# one commit per patch of patches/series on top, topic after topic in the
# order the file lists them.
. "$(dirname "$0")/lib.sh"

GIT="git -C $TREE -c user.name=lockless-pgtable -c user.email=lpt@localhost"
export GIT_COMMITTER_DATE="2024-11-17 00:00:00 +0000"

if [ -d "$TREE/.git" ]; then
	"$TOP/scripts/export.sh" --check >/dev/null 2>&1 ||
		die "build/$KBASE/linux and patches/$KBASE/ differ: 'make export' saves the tree's" \
			"series into patches/$KBASE/, 'rm -rf build/$KBASE/linux' rebuilds the tree from patches/$KBASE/"
	note "build/$KBASE/linux is up to date with patches/$KBASE/ ($(cat "$BUILD/base-version"))"
	exit 0
fi

rm -rf "$TREE"
need_space 4 "a new build/$KBASE/linux"
mkdir -p "$TREE"
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/mm" ] ||
		die "KSRC=$KSRC is not a kernel source tree"
	note "copying $KSRC"
	rsync -a --exclude=.git "$KSRC/" "$TREE/"
	desc="local tree $KSRC"
else
	deb=$("$TOP/scripts/apt.sh" get "$BASE_PKG=$BASE_VERSION" 2>/dev/null) || {
		note "Debian $BASE_PKG $BASE_VERSION is gone; using the newest"
		deb=$("$TOP/scripts/apt.sh" get "$BASE_PKG")
	} || die "cannot get Debian's $BASE_PKG. Either let the harness reach" \
		"deb.debian.org (trixie, trixie-backports), or point" \
		"KSRC=/path/to/linux-$KBASE.y at an existing $KBASE tree"
	BASE_VERSION=$(basename "$deb" | sed "s/^${BASE_PKG}_//; s/_all.deb\$//; s/%3a/:/")
	note "extracting $BASE_PKG $BASE_VERSION"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards "*/$BASE_PKG.tar.xz" |
		tar -xJ -C "$TREE" --strip-components=1
	desc="Debian $BASE_VERSION"
fi
ver=$(make -s -C "$TREE" kernelversion 2>/dev/null) || die "no kernel Makefile in $TREE"
case $ver in "$KBASE".*) ;; *) die "base is linux $ver, not $KBASE" ;; esac
echo "linux $ver ($desc)" >"$BUILD/base-version"

note "committing base: $(cat "$BUILD/base-version")"
git init -q -b work "$TREE"
$GIT config gc.auto 0
$GIT add -A -f .
$GIT commit -q -m "base: $(cat "$BUILD/base-version")" \
	--date="$GIT_COMMITTER_DATE"
$GIT tag base

for p in $(series_patches); do
	$GIT am -q --whitespace=error-all "$PATCHES/$p" >/dev/null 2>&1 || {
		$GIT am --abort >/dev/null 2>&1 || true
		die "patch $p does not apply to $(cat "$BUILD/base-version") + the patches before it"
	}
done
note "build/$KBASE/linux: base + $($GIT rev-list --count base..HEAD) patches, topics:" \
	"$(for t in $(series_topics); do printf '%s (%d) ' "$t" "$(topic_patches "$t" | wc -l)"; done)"
