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

wt=$BUILD/linux-mutant
[ -d "$wt" ] || git -C "$TREE" worktree add -q --detach "$wt" HEAD
head=$(git -C "$TREE" rev-parse HEAD)
summary=$BUILD/logs/mutants-$ARCH-$FLAVOR.txt
mkdir -p "$BUILD/logs"
rc=0
for m; do
	git -C "$wt" reset -q --hard
	git -C "$wt" checkout -q --detach "$head"
	git -C "$wt" apply "$TOP/mutants/$m.patch" ||
		die "mutants/$m.patch does not apply to build/linux ($head)"
	tests=$(sed -n 's/^Tests: //p' "$TOP/mutants/$m.patch")
	pat=$(printf '^%s$\\|' $tests)
	note "mutant $m: building, then running: $tests"
	MUTANT=1 "$TOP/scripts/build-kernel.sh"
	MUTANT=1 TAG=mutant-$m T="${pat%\\|}" "$TOP/scripts/boot.sh"
	log=$BUILD/logs/$ARCH-$FLAVOR-mutant-$m.log
	"$TOP/scripts/report.py" "$ARCH/mutant $m=$log" || true
	python3 - "$m" "$log" "$tests" "$TOP/scripts" >>"$summary" <<'PY' || rc=1
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[4])
import report  # noqa: E402 (scripts/report.py: the verdict of make check)
m, log, tests = sys.argv[1], sys.argv[2], sys.argv[3].split()
r = report.parse(log)
res = {t['name']: t['result'] for t in r['tests']}
caught = [t for t in tests if res.get(t) == 'FAIL']
row = ', '.join(f'{t} {res.get(t, "not run")}' for t in tests)
verdict = ('caught by ' + ', '.join(caught)) if caught else \
    ('caught by a kernel splat' if r['splats'] else 'SURVIVED')
print(f'{m}: {verdict} ({row})')
sys.exit(0 if caught or r['splats'] else 1)
PY
	tail -n 1 "$summary"
done
git -C "$wt" reset -q --hard
echo "mutant results so far ($ARCH): ${summary#$TOP/}"
exit $rc
