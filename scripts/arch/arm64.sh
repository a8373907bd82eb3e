# arm64: everything the harness needs to know about this architecture.
KARCH=arm64
CROSS_COMPILE=aarch64-linux-gnu-
DEB_ARCH=arm64
KIMAGE=arch/arm64/boot/Image
QEMU=qemu-system-aarch64
# pauth-impdef: QARMA pointer authentication is very slow under TCG.
QEMU_MACHINE="-M virt -cpu max,pauth-impdef=on"
CONSOLE=ttyAMA0
KVM_HOST=aarch64
# NUMA nodes the VM has (configs/arm64.config has CONFIG_NUMA), so that
# pages can migrate between nodes; QEMU -numa: memory and vCPUs split evenly.
NODES=2
NUMA=qemu
