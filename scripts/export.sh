#!/bin/bash
# Write the commits base..HEAD of build/<base>/linux to patches/<base>/<topic>/ (and
# patches/<base>/series), one format-patch run per topic, so each is numbered
# [PATCH n/m] on its own. A commit keeps the topic of the patch in
# patches/ with its subject; a new commit goes to the topic of the commit
# before it. Each topic must be one run of commits in build/<base>/linux.
# With --check, only tell whether patches/ already says exactly that.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no build/$KBASE/linux; run 'make tree' first"
out=$TMP/patches
mkdir -p "$out"

# The topic of every patch in patches/, by subject: "subject<TAB>topic".
for f in "$PATCHES"/*/[0-9]*.patch; do
	[ -f "$f" ] && [ "${f##*/}" != 0000-cover-letter.patch ] || continue
	s=$(git mailinfo /dev/null /dev/null <"$f" | sed -n 's/^Subject: //p')
	printf '%s\t%s\n' "$s" "$(basename "$(dirname "$f")")"
done >"$TMP/subjects"

# Each commit with its topic: "sha topic".
prev=$(series_topics | sed -n 1p)
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	s=$(git -C "$TREE" log -1 --format=%s "$c")
	t=$(S=$s awk -F'\t' '$1 == ENVIRON["S"] { print $2; exit }' "$TMP/subjects")
	if [ -z "$t" ]; then
		[ -n "$prev" ] || die "no topic for '$s': patches/$KBASE/ has none"
		t=$prev
		[ "${1:-}" = --check ] || note "new commit '$s': topic $t, as the commit before it"
	fi
	echo "$c $t"
	prev=$t
done >"$TMP/commits"
topics=$(cut -d' ' -f2 "$TMP/commits" | uniq)

# One format-patch run per topic, in the order of build/<base>/linux.
for t in $topics; do
	[ ! -d "$out/$t" ] || die "topic $t is not one run of commits in build/$KBASE/linux;" \
		"reorder them (git rebase -i base) so that each topic's commits follow each other"
	first=$(awk -v t="$t" '$2 == t { print $1; exit }' "$TMP/commits")
	last=$(awk -v t="$t" '$2 == t { c = $1 } END { print c }' "$TMP/commits")
	git -C "$TREE" format-patch -q --zero-commit --no-signature --abbrev=7 \
		-o "$out/$t" "$first~1..$last"
done

# patches/series: its comment lines before the first topic, then per
# topic its "# <topic>: ..." line (kept from patches/series) and patches.
{
	awk -v t=" $(echo $topics) " '!/^#/ ||
		($2 ~ /:$/ && index(t, " " substr($2, 1, length($2) - 1) " ")) { exit }
		{ print }' "$PATCHES/series"
	for t in $topics; do
		grep -m1 "^# $t:" "$PATCHES/series" || echo "# $t:"
		(cd "$out" && ls "$t"/*.patch)
	done
} >"$out/series"

if [ "${1:-}" = --check ]; then
	for f in $(cd "$out" && find . -type f | sed 's|^\./||'); do
		cmp -s "$out/$f" "$PATCHES/$f" ||
			die "patches/$KBASE/$f differs from build/$KBASE/linux"
	done
	# Besides those: each topic's cover letter.
	(cd "$out" && find . -type f | sed 's|^\./||'
		printf '%s/0000-cover-letter.patch\n' $topics) >"$TMP/known"
	extra=$(cd "$PATCHES" && find . -type f ! -name base | sed 's|^\./||' | grep -vxF -f "$TMP/known") || true
	[ -z "$extra" ] || die "patches/$KBASE/ has files build/$KBASE/linux lacks: $extra"
	exit 0
fi

find "$PATCHES" -name '*.patch' ! -name 0000-cover-letter.patch -delete
cp -r "$out"/* "$PATCHES/"
note "patches/$KBASE/: $(series_patches | wc -l) patches exported in topics:" \
	"$(series_topics | tr '\n' ' ')"
