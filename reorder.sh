#!/bin/bash
# reorder.sh [TREE]: reorder the series in TREE (default build/linux next
# to this script), base..HEAD, into its topic series, in the apply order
# walk, readers, devexcl, dirty, with an interactive rebase driven by this
# script (GIT_SEQUENCE_EDITOR). Commits are matched by subject, never by
# SHA. It also moves tools/testing/selftests/mm/race_util.h, and the
# sentence of the commit message that describes it, from the gup_fast_race
# commit (topic readers) into the pagewalk_race one (topic walk, applied
# first), so that every topic builds in that order.
#
# A subject below that ends in "..." matches every subject that starts
# with the text before it (for a subject still being reworded). A
# "fixup! S", "squash! S" or "amend! S" commit moves with the commit whose
# subject is S and stays a separate commit (git rebase -i --autosquash
# base squashes them, before or after). A commit whose subject is not
# listed stops the script before anything changes: add it to its topic
# here; a listed one the tree lacks is left out, with a note. The final
# tree is the same as before the reorder; the script checks that and
# prints the new order.
set -euo pipefail

RACE_UTIL=tools/testing/selftests/mm/race_util.h
GUP_RACE="selftests/mm: add gup_fast_race, GUP-fast racing with large-folio remaps"
WALK_RACE="selftests/mm: add pagewalk_race, page walkers racing with table churn"

# The order wanted: topic, then subject (fixes first in each topic).
ORDER="walk	mm/pagewalk: don't let a stale ACTION_AGAIN walk a PUD range twice
walk	lib/test_pagewalk, selftests/mm: check that a walk retry visits once
walk	mm/pagewalk: don't end walk_page_mapping() at the first skipped VMA
walk	mm/pagewalk: read each PUD entry once
walk	mm/pagewalk: pass the PUD value to ->pud_entry()
walk	mm/pagewalk: read each PMD entry once in walk_pmd_range()
walk	$WALK_RACE
walk	selftests/mm: add collapse_walk_race, page walkers racing with shmem collapse
readers	mm: add ptep_get_gup_fast() for readers that ...
readers	mm/gup: use ptep_get_gup_fast() for GUP-fast and perf's page size probe
readers	arm64/mm: implement ptep_get_gup_fast() as __ptep_get()
readers	x86/mm: read ...
readers	mm/debug_vm_pgtable: check the lockless PTE getters against ptep_get()
readers	Documentation/mm: describe the two kinds of lockless PTE readers
readers	$GUP_RACE
devexcl	mm/memory: decide writability in restore_exclusive_pte() via can_change_pte_writable()
devexcl	mm: use a single SWP_DEVICE_EXCLUSIVE entry type
devexcl	mm: document that device-exclusive entries are clean and old
devexcl	lib/test_hmm: mark the folio dirty when writing through exclusive access
devexcl	mm: device-exclusive entries are not migration entries
devexcl	mm: don't report device-exclusive entries from page_vma_mapped_walk()
devexcl	selftests/mm: hmm-tests: test PTE state after device-exclusive access
dirty	mm/mapping_dirty_helpers: document the usage contract, check it in debug
dirty	lib: add test_mapping_dirty, a test driver for the mapping dirty helpers
dirty	selftests/mm: add mapping_dirty test for the mapping dirty helpers"

die() {
	printf 'reorder.sh: error: %s\n' "$*" >&2
	exit 1
}

# The subject of a commit, without its fixup!/squash!/amend! prefixes.
target() {
	git log -1 --format=%s "$1" | sed -E 's/^((fixup|squash|amend)! )+//'
}

# Does subject $2 match the ORDER subject $1?
matches() {
	case $1 in
	*...) [ "${2#"${1%...}"}" != "$2" ] ;;
	*) [ "$1" = "$2" ] ;;
	esac
}

# A commit message (stdin) with the race_util.h sentence moved, to stdout.
# take: gup_fast_race's, which now points to pagewalk_race for the header;
# add SENTENCE: pagewalk_race's, with SENTENCE as a paragraph before its
# trailers.
race_util_msg() {
	case $1 in
	take) perl -0777 -pe 's/\nrace_util\.h holds what the race selftests share:.*?\.\n/\nThe budget, the first-failure stop, the random generator and the
per-case kernel log check come from race_util.h, which pagewalk_race
added.\n/s' ;;
	add) SENTENCE=$2 perl -0777 -pe 's/\n\n((?:[A-Za-z-]+: [^\n]*\n)+)\n*\z/\n\n$ENV{SENTENCE}\n\n$1/' ;;
	esac
}

case ${1:-} in
--todo)
	# GIT_SEQUENCE_EDITOR: rewrite the todo list $2.
	todo=$2
	grep -E '^(pick|p) ' "$todo" >"$todo.lines" || true
	out=$todo.new
	: >"$out"
	unknown=
	while read -r cmd sha _; do
		t=$(target "$sha") known=0
		while IFS=$'\t' read -r _ subj; do
			if matches "$subj" "$t"; then known=1; fi
		done <<<"$ORDER"
		[ $known = 1 ] || unknown+="  $t"$'\n'
	done <"$todo.lines"
	[ -z "$unknown" ] || die "commits not in any topic (add them to ORDER in $0):"$'\n'"$unknown"
	# The gup_fast_race commit, if it (still) adds race_util.h.
	gup=$(while read -r cmd sha _; do
		if [ "$(git log -1 --format=%s "$sha")" = "$GUP_RACE" ]; then echo "$sha"; fi
	done <"$todo.lines")
	[ -z "$gup" ] || [ -n "$(git diff-tree -r --name-only --diff-filter=A "$gup" -- "$RACE_UTIL")" ] || gup=
	printf '%s\n' "$ORDER" | while IFS=$'\t' read -r topic subj; do
		n=0
		while read -r cmd sha rest; do
			matches "$subj" "$(target "$sha")" || continue
			echo "$cmd $sha $rest" >>"$out"
			n=$((n + 1))
		done <"$todo.lines"
		[ $n -gt 0 ] || echo "reorder.sh: note: no commit '$subj' (topic $topic) in the series" >&2
		case $subj in
		"$WALK_RACE") [ -z "$gup" ] || echo "exec '$0' --move-race-util $gup" >>"$out" ;;
		"$GUP_RACE") [ -z "$gup" ] || echo "exec '$0' --race-util-msg" >>"$out" ;;
		esac
	done
	mv "$out" "$todo"
	rm -f "$todo.lines"
	exit 0
	;;
--move-race-util)
	# exec after pagewalk_race: give it race_util.h as gup_fast_race ($2)
	# has it, and the sentence that describes the header.
	git checkout "$2" -- "$RACE_UTIL"
	s=$(git log -1 --format=%B "$2" | perl -0777 -ne 'print $1 if /\n(race_util\.h holds .*?\.)\n/s')
	if [ -n "$s" ]; then
		git log -1 --format=%B HEAD | race_util_msg add "$s" >"$(git rev-parse --git-dir)/lpt-msg"
	else
		echo "reorder.sh: note: no race_util.h sentence in gup_fast_race's message; pagewalk_race's left as is" >&2
		git log -1 --format=%B HEAD >"$(git rev-parse --git-dir)/lpt-msg"
	fi
	git commit -q --amend --no-verify -F "$(git rev-parse --git-dir)/lpt-msg" -- "$RACE_UTIL"
	exit 0
	;;
--race-util-msg)
	# exec after gup_fast_race: its message no longer describes the header.
	git log -1 --format=%B HEAD | race_util_msg take >"$(git rev-parse --git-dir)/lpt-msg"
	git commit -q --amend --no-verify --allow-empty -F "$(git rev-parse --git-dir)/lpt-msg"
	exit 0
	;;
esac

tree=${1:-$(cd "$(dirname "$0")" && pwd)/build/linux}
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
[ -e "$tree/.git" ] || die "no git tree at $tree"
cd "$tree"
git rev-parse -q --verify base >/dev/null || die "$tree has no 'base' tag"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit or stash them first"
old=$(git rev-parse HEAD)
if ! GIT_SEQUENCE_EDITOR="'$self' --todo" git -c rebase.instructionFormat=%s \
	-c rebase.autoSquash=false rebase -q -i base; then
	[ -d "$(git rev-parse --git-path rebase-merge)" ] || die "nothing changed"
	die "the rebase stopped (see 'git status' in $tree); resolve and" \
		"'git rebase --continue' (the script's exec steps run then), or 'git rebase --abort'"
fi
git diff --quiet "$old" HEAD ||
	die "the reordered tree differs from the old one ($old): look at 'git diff $old HEAD'"
echo "reordered (old HEAD $old, same tree):"
git log --reverse --format='  %h %s' base..HEAD
