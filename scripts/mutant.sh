#!/bin/bash
# make mutant M=<name>|all: build the patched kernel with one mechanism
# disabled by mutants/<base>/<name>.patch (never part of the series) and boot it
# once for each test its "Tests:" line names (that this arch runs), with
# the patched tree's test binaries. A mutant is caught only if every test
# it names catches it: a false Tests: line is an error, not a detail.
# Exit status 0 only if every mutant was caught.
. "$(dirname "$0")/lib.sh"
names=$(ls "$MUTANTS" | sed -n 's/\.patch$//p' | tr '\n' ' ')
want=${M:-}
unset M
[ -n "$want" ] || die "M is not set; valid: ${names}all (or several names)"
for w in $want; do
	case " $names " in
	*" $w "*) ;;
	*) [ "$want" = all ] || die "unknown M='$w'; valid: ${names}all (alone) or several names" ;;
	esac
done
load_arch
[ -f "$USR/initramfs.cpio.gz" ] || die "no test initramfs; run 'make build ARCH=$ARCH' first"
[ "$want" = all ] && set -- $names || set -- $want

# One mutant kernel at a time: they share the worktree and object dir.
exec 9>"$BUILD/.mutant.lock"
flock 9
wt=$BUILD/linux-mutant
[ -d "$wt" ] || git -C "$TREE" worktree add -q --detach "$wt" HEAD
head=$(git -C "$TREE" rev-parse HEAD)
# Per mutant: its Tests: list and one VM log per test; report.py mutants
# reads them all.
dir=$BUILD/logs/mutants-$ARCH-$FLAVOR
mkdir -p "$dir"
for m; do
	git -C "$wt" reset -q --hard
	git -C "$wt" clean -qfd
	git -C "$wt" checkout -q --detach "$head"
	# build/<base>/linux as it is, uncommitted changes included, plus the mutant.
	git -C "$TREE" diff --binary HEAD | git -C "$wt" apply --allow-empty ||
		die "build/$KBASE/linux's uncommitted changes do not apply to $head"
	# A mutant of the kernel, or of module/ (lpt_dma.ko then comes from a
	# copy with the mutant applied, into an initramfs of its own, below).
	patch=$MUTANTS/$m.patch
	git -C "$wt" apply --exclude='module/*' "$patch" ||
		die "mutants/$KBASE/$m.patch does not apply to build/$KBASE/linux ($head)"
	# The named tests this arch's suite has, with their timeouts; none if
	# the mutant's "Arches:" line (the arches it can be seen on) lacks it.
	tests=$(sed -n 's/^Tests: //p' "$patch")
	[ -n "$tests" ] || die "mutants/$KBASE/$m.patch has no Tests: line"
	arches=$(sed -n 's/^Arches: //p' "$patch")
	flavors=$(sed -n 's/^Flavors: //p' "$patch")
	runs=$(awk -v t=" $tests " -v a="$ARCH" '!/^#/ && NF && index(t, " " $1 " ") &&
		($3 == "all" || index("," $3 ",", "," a ",")) { print $1, $2 }' "$TOP/tests/suite")
	case " ${arches:-$ARCH} " in *" $ARCH "*) ;; *) runs= ;; esac
	# Likewise "Flavors:", for a mutant only a sanitizer can see.
	case " ${flavors:-$FLAVOR} " in *" $FLAVOR "*) ;; *) runs= ;; esac
	for t in $tests; do
		grep -q "^$t " "$TOP/tests/suite" || die "mutants/$KBASE/$m.patch names '$t', which tests/suite lacks"
	done
	rm -rf "${dir:?}/$m"
	mkdir -p "$dir/$m"
	echo "$tests" >"$dir/$m/tests"
	if [ -z "$runs" ]; then
		note "mutant $m: not on $ARCH/$FLAVOR (tests: $tests; arches: ${arches:-all}; flavours: ${flavors:-all})"
		continue
	fi
	initrd=
	if grep -q '^diff --git a/module/' "$patch"; then
		rm -rf "$USR/module-mutant"
		mkdir -p "$USR/module-mutant"
		cp -r "$TOP/module" "$USR/module-mutant/"
		# No repository here (build/ is inside ours: paths would be taken
		# from its top and the patch silently skipped).
		(cd "$USR/module-mutant" && GIT_DIR=/nonexistent git apply --include='module/*' "$patch") ||
			die "mutants/$KBASE/$m.patch does not apply to module/"
		kmake M="$USR/module-mutant/module" W=1 modules >"$USR/module-mutant/build.log" 2>&1 ||
			die "module with mutants/$KBASE/$m.patch does not build (see $USR/module-mutant/build.log)"
		initrd=$USR/initramfs-mutant.cpio.gz
		sed "s|$USR/module/lpt_dma.ko|$USR/module-mutant/module/lpt_dma.ko|" "$USR/initramfs.list" |
			"$OBJ/usr/gen_init_cpio" - | gzip -1 >"$initrd"
	fi
	note "mutant $m: building, then one boot for each of: $(echo "$runs" | cut -d' ' -f1 | tr '\n' ' ')"
	MUTANT=1 "$TOP/scripts/build-kernel.sh"
	echo "$runs" | while read -r t secs; do
		# A BUG in a mutant often wedges its task with a lock held: panic
		# at once (the log still says which test was running), and give
		# the VM the test's own timeout and two minutes to boot, not 40.
		MUTANT=1 TAG=mutant-$m-$t T="^$t\$" VM_TIMEOUT=${VM_TIMEOUT:-$((secs + 120))} \
			INITRD=$initrd EXTRA_CMDLINE=oops=panic "$TOP/scripts/boot.sh" </dev/null || true
		cp "$BUILD/logs/$ARCH-$FLAVOR-mutant-$m-$t.log" "$dir/$m/$t.log"
	done
done
git -C "$wt" reset -q --hard
echo
echo "mutants on $ARCH/$FLAVOR (logs in ${dir#$TOP/}):"
"$TOP/scripts/report.py" mutants "$dir" "$@"
