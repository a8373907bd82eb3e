#!/bin/bash
# make mutant M=<name>|all: build the patched kernel with one mechanism
# disabled by mutants/<name>.patch (never part of the series), boot it
# with the patched tree's test binaries, run the tests the mutant's
# "Tests:" line names and say which of them caught it. Exit status 0 only
# if every mutant run was caught by at least one test.
. "$(dirname "$0")/lib.sh"
names=$(ls "$TOP/mutants" | sed -n 's/\.patch$//p' | tr '\n' ' ')
want=${M:-}
unset M
case " $names all " in
*" $want "*) [ -n "$want" ] || die "M is not set; valid: ${names}all" ;;
*) die "unknown M='$want'; valid: ${names}all" ;;
esac
load_arch
[ -f "$USR/initramfs.cpio.gz" ] || die "no test initramfs; run 'make build ARCH=$ARCH' first"
[ "$want" = all ] && set -- $names || set -- "$want"

# One mutant kernel at a time: they share the worktree and object dir.
exec 9>"$BUILD/.mutant.lock"
flock 9
wt=$BUILD/linux-mutant
[ -d "$wt" ] || git -C "$TREE" worktree add -q --detach "$wt" HEAD
head=$(git -C "$TREE" rev-parse HEAD)
# One log and one Tests: list per mutant; report.py mutants reads them all.
dir=$BUILD/logs/mutants-$ARCH-$FLAVOR
mkdir -p "$dir"
for m; do
	git -C "$wt" reset -q --hard
	git -C "$wt" clean -qfd
	git -C "$wt" checkout -q --detach "$head"
	# build/linux as it is, uncommitted changes included, plus the mutant.
	git -C "$TREE" diff --binary HEAD | git -C "$wt" apply --allow-empty ||
		die "build/linux's uncommitted changes do not apply to $head"
	git -C "$wt" apply "$TOP/mutants/$m.patch" ||
		die "mutants/$m.patch does not apply to build/linux ($head)"
	tests=$(sed -n 's/^Tests: //p' "$TOP/mutants/$m.patch")
	pat=$(printf '^%s$\\|' $tests)
	note "mutant $m: building, then running: $tests"
	MUTANT=1 "$TOP/scripts/build-kernel.sh"
	# A mutant often wedges a task (a BUG with a lock held): give the VM
	# the named tests' own timeouts and two minutes to boot, not 40.
	vmt=$(awk -v t=" $tests " '!/^#/ && NF && index(t, " " $1 " ") { s += $2 } END { print s + 120 }' \
		"$TOP/tests/suite")
	MUTANT=1 TAG=mutant-$m T="${pat%\\|}" VM_TIMEOUT=${VM_TIMEOUT:-$vmt} \
		"$TOP/scripts/boot.sh" || true
	log=$BUILD/logs/$ARCH-$FLAVOR-mutant-$m.log
	"$TOP/scripts/report.py" "$ARCH/mutant $m=$log" || true
	cp "$log" "$dir/$m.log"
	echo "$tests" >"$dir/$m.tests"
done
git -C "$wt" reset -q --hard
echo
echo "mutants on $ARCH/$FLAVOR (logs in ${dir#$TOP/}):"
"$TOP/scripts/report.py" mutants "$dir" "$@"
