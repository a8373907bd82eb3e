# i386: everything the harness needs to know about this architecture.
# 32-bit x86 with PAE (configs/i386.config): 64-bit PTEs that a plain load
# reads in two halves, where the series has its own ptep_get_gup_fast().
KARCH=i386
CROSS_COMPILE=i686-linux-gnu-
DEB_ARCH=i386
KIMAGE=arch/x86/boot/bzImage
QEMU=qemu-system-i386
# TCG's max CPU calls itself an AMD family 6 (an Athlon), which a 32-bit
# kernel warns is not fit for SMP; as Intel it is fine.
QEMU_MACHINE="-M pc -cpu max,vendor=GenuineIntel"
CONSOLE=ttyS0
# Matches no host (uname -m): always TCG.
KVM_HOST=none
