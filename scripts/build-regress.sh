#!/bin/bash
# Build the userspace of `make regress` for ARCH into build/user-$ARCH/regress:
# all of build/<base>/linux's mm selftests, installed where run_vmtests.sh expects
# them as their Makefile's install target would, bash-static from Debian
# (run_vmtests.sh is a bash script) and the initramfs around them. The same
# initramfs boots the base and the patched kernel.
# CATEGORY=name: run_vmtests.sh -t name (one of the categories its -h lists).
. "$(dirname "$0")/lib.sh"
BASE=0 load_arch
[ -x "$USR/cc" ] && [ -d "$USR/usr/include" ] ||
	die "no static cc wrapper or kernel headers in ${USR#$TOP/}; run 'make build ARCH=$ARCH' first"
sel=$TREE/tools/testing/selftests/mm
R=$USR/regress
mkdir -p "$R"

if [ -n "${CATEGORY:-}" ]; then
	cats=$(sed -n 's/^- \([a-z_0-9]*\)$/\1/p' "$sel/run_vmtests.sh" | tr '\n' ' ')
	case " $cats" in
	*" $CATEGORY "*) ;;
	*) die "CATEGORY='$CATEGORY' is no category of run_vmtests.sh; valid: $cats" ;;
	esac
fi

# On top of build-user.sh's sysroot (busybox, liburing): bash, and the
# static libraries some selftests link (-lnuma, -lcap). Same libdir, so the
# cc wrapper's -L finds them.
sysroot=$USR/sysroot
for p in bash-static:usr/bin/bash-static libnuma-dev:usr/include/numa.h \
	libcap-dev:usr/include/sys/capability.h; do
	[ -e "$sysroot/${p#*:}" ] ||
		dpkg-deb -x "$("$TOP/scripts/apt.sh" get "${p%%:*}:$DEB_ARCH")" "$sysroot"
done
bb=$(ls "$sysroot"/usr/bin/busybox "$sysroot"/bin/busybox 2>/dev/null | head -n 1) || true
[ -x "$bb" ] || die "no busybox in ${sysroot#$TOP/}; run 'make build ARCH=$ARCH' first"

# Those libraries call glibc 2.38's C23 names of sscanf and strto*; an
# older host C library (Debian 12's) gets them from scripts/regress-c23.c.
ldflags=
cat >"$TMP/c23.c" <<'EOF'
long __isoc23_strtol(const char *s, char **end, int base);
int main(void) { return __isoc23_strtol("1", 0, 0); }
EOF
if ! "$USR/cc" "$TMP/c23.c" -o "$TMP/c23" 2>/dev/null; then
	"$USR/cc" -O2 -Wall -c "$TOP/scripts/regress-c23.c" -o "$R/c23.o"
	ldflags=$R/c23.o
fi

note "building all mm selftests for $ARCH"
mk=(-C "$sel" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="$USR/cc"
	OUTPUT="$R/build" KHDR_INCLUDES="-isystem $USR/usr/include" USERLDFLAGS="$ldflags")
rm -f "$sel"/local_config.*
mkdir -p "$R/build"
# -k: a program that does not build is reported below and left out, and
# run_vmtests.sh fails it as it would on any machine.
make -k "${mk[@]}" >"$R/build.log" 2>&1 || true
# What lib.mk's install target copies, asked of the Makefile itself.
list='$(TEST_PROGS) $(TEST_PROGS_EXTENDED) $(TEST_FILES) $(TEST_GEN_PROGS)
	$(TEST_GEN_PROGS_EXTENDED) $(TEST_GEN_FILES) $(wildcard config settings)'
files=$(make -s "${mk[@]}" --eval "lpt-files: ; @echo $(echo $list)" lpt-files)
rm -f "$sel"/local_config.*
rm -rf "$R/mm"
mkdir -p "$R/mm"
for f in $files; do
	case $f in /*) ;; *) f=$sel/$f ;; esac
	if [ -f "$f" ]; then
		cp -p "$f" "$R/mm/"
		continue
	fi
	# The first error make printed for it.
	why=$(awk -v t="/${f##*/}] Error" '/^make: \*\*\*/ { if (index($0, t)) { print err; exit } err = ""; next }
		err == "" && /error|undefined|cannot|No such/ && !/^collect2/ { err = $0 }' "$R/build.log")
	echo "mm selftests: ${f##*/} not built: ${why:-see ${R#$TOP/}/build.log}" >&2
done
# The Makefile's own warnings (a missing 32-bit toolchain, liburing).
sed -n 's/^Warning: /mm selftests: warning: /p' "$R/build.log" >&2

awk -v t="${CATEGORY:+ -t $CATEGORY}" '/^#/ || !NF { print; next } { print $0 t }' \
	"$TOP/tests/regress" >"$R/suite"
note "making ${R#$TOP/}/initramfs.cpio.gz"
{
	printf 'dir /%s 755 0 0\n' bin dev proc sys tmp tests
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "file /bin/busybox $bb 755 0 0"
	echo "file /bin/bash $sysroot/usr/bin/bash-static 755 0 0"
	echo "file /init $TOP/scripts/init.sh 755 0 0"
	echo "file /regress $R/suite 644 0 0"
	for f in "$R"/mm/*; do
		echo "file /tests/${f##*/} $f $(stat -c %a "$f") 0 0"
	done
} >"$R/initramfs.list"
"$OBJ/usr/gen_init_cpio" "$R/initramfs.list" | gzip -1 >"$R/initramfs.cpio.gz"
