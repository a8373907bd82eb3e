# x86_64: everything the harness needs to know about this architecture.
KARCH=x86_64
CROSS_COMPILE=
DEB_ARCH=amd64
KIMAGE=arch/x86/boot/bzImage
QEMU=qemu-system-x86_64
QEMU_MACHINE="-M pc -cpu max"
CONSOLE=ttyS0
KVM_HOST=x86_64
# NUMA nodes the VM has (configs/x86_64.config has CONFIG_NUMA), so that
# pages can migrate between nodes; numa=fake= on the kernel command line.
NODES=2
NUMA=fake
