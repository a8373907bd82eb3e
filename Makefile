# lockless-pgtable: the series in patches/<base>/, applied to its Linux base
# (mainline 7.3, or 6.12 LTS for the backport), built, booted in QEMU and
# tested. `make help` lists the targets.
#
# Variables (all optional):
#   KBASE=7.3|6.12 (default 7.3; make check: both)
#   ARCH=x86_64|arm64|i386  FLAVOR=default|...  SMP=4  MEM=2G
#   KSRC=/path/to/linux-<KBASE>  T=<test name pattern>  V=1 (show the VM log)
#   M=<mutant name(s)>|all (make mutant; names are mutants/<KBASE>/*.patch)
#   BENCH_BOOTS=10 (make bench)  CROSS_ARCHES=riscv64|loongarch64 (make cross)
#   CATEGORY=<a category of run_vmtests.sh -h> (make regress: that one only)
# Variables given on the command line reach the scripts through the
# environment; the scripts validate them (scripts/lib.sh).

.PHONY: help deps tree export series build run check compare regress mutant bench bisect cross clean

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## make run       build, boot and test ARCH (default x86_64); the main job
run:
	@scripts/run.sh

## make check     everything CI runs: both bases, hygiene, their arches (or ARCH), the verdict
check:
	@scripts/check.sh

## make compare   boot the unpatched base with the same tests, show differences
compare:
	@scripts/compare.sh

## make regress   upstream run_vmtests.sh on base and patched; fails on a new failure
regress:
	@scripts/regress.sh

## make mutant    M=<name..>|all: a kernel with one mechanism disabled must fail its tests
mutant:
	@scripts/mutant.sh

## make bench     GUP-fast and pagemap cost, base vs patched (bench/results/KBASE/ARCH.md)
bench:
	@scripts/bench.sh

## make cross     W=1 compile check of the touched files for riscv64 (and loongarch64)
cross: tree
	@scripts/cross.sh

## make bisect    build ARCH's kernel at every patch of the series, in order
bisect:
	@scripts/bisect.sh

## make deps      install missing Debian packages (or print the apt-get line)
deps:
	@scripts/deps.sh

## make tree      build/KBASE/linux: base kernel + one commit per patch
tree:
	@scripts/tree.sh

## make export    write build/KBASE/linux's commits back to patches/KBASE/
export:
	@scripts/export.sh

## make series    one ready-to-send mbox per topic series in build/KBASE/series/
series:
	@scripts/mbox.sh

## make build     configure and build kernel + initramfs for ARCH/FLAVOR
build: tree
	@scripts/build-kernel.sh && scripts/build-user.sh

## make clean     remove build/ (the download and ccache caches stay)
clean:
	rm -rf build
