/*
 * virtio_blk.c: a virtio block device through the legacy (virtio 0.9.5) PCI
 * interface: registers in I/O space (BAR0), one virtqueue, no interrupts. A
 * request is three descriptors (header, data, status); we publish it, notify
 * the device and poll the used ring until it is done. One request is in
 * flight at a time, like a synchronous O_DIRECT write: the application's
 * buffer is handed to the device directly (identity mapping: virtual address
 * = physical address), no copy.
 */
#include "virtio_blk.h"

#include "errno_values.h"
#include "memory.h"
#include "pci.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_BLK_LEGACY 0x1001 /* transitional device: QEMU's default virtio-blk-pci on pc/q35 */
#define VIRTIO_BLK_MODERN 0x1042 /* modern-only (disable-legacy=on): not supported, named on the console */
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MASTER 0x4
#define PCI_BAR0 0x10

/* Legacy register offsets in the I/O BAR. */
#define REG_HOST_FEATURES 0x00
#define REG_GUEST_FEATURES 0x04
#define REG_QUEUE_PFN 0x08
#define REG_QUEUE_SIZE 0x0c
#define REG_QUEUE_SELECT 0x0e
#define REG_QUEUE_NOTIFY 0x10
#define REG_STATUS 0x12
#define REG_ISR 0x13
#define REG_CONFIG 0x14 /* device config (without MSI-X): u64 capacity in sectors first */

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FAILED 128
#define F_RO (1u << 5)
#define F_FLUSH (1u << 9)

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define S_OK 0

#define DESC_NEXT 1
#define DESC_WRITE 2 /* the device writes this buffer */
#define VRING_ALIGN 4096
/* Largest data part of one request; larger transfers are split. */
#define MAX_REQUEST_BYTES (1024 * 1024)

struct vring_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags, next;
};
struct vring_used_elem {
  uint32_t id, len;
};
struct blk_header {
  uint32_t type, reserved;
  uint64_t sector;
};

static struct {
  int present;
  uint16_t io;
  uint16_t qsize;
  uint32_t features;
  uint64_t sectors;
  struct vring_desc *desc;
  volatile uint16_t *avail; /* flags, idx, ring[qsize] */
  volatile uint16_t *used;  /* flags, idx, then elements */
  uint16_t avail_idx, used_seen;
  struct blk_header header;
  volatile uint8_t status;
} blk;

int los_blk_present(void) { return blk.present; }
uint64_t los_blk_sectors(void) { return blk.sectors; }

int los_blk_init(void) {
  static const uint16_t legacy[] = {VIRTIO_BLK_LEGACY, 0}, modern[] = {VIRTIO_BLK_MODERN, 0};
  los_pci_device dev;
  if (los_pci_find(VIRTIO_VENDOR, legacy, &dev) != 0) {
    if (los_pci_find(VIRTIO_VENDOR, modern, &dev) == 0)
      los_printf(LOS_TAG "warning: a modern-only virtio-blk device is present; this library OS drives the legacy "
                         "interface (start QEMU without disable-legacy=on)\n");
    return -1;
  }
  uint32_t bar0 = los_pci_read32(&dev, PCI_BAR0);
  if (!(bar0 & 1)) los_panic("virtio-blk BAR0 is not an I/O port range");
  blk.io = (uint16_t)(bar0 & ~3u);
  los_pci_write16(&dev, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MASTER);

  outb(blk.io + REG_STATUS, 0); /* reset */
  outb(blk.io + REG_STATUS, STATUS_ACKNOWLEDGE);
  outb(blk.io + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
  uint32_t offered = inl(blk.io + REG_HOST_FEATURES);
  blk.features = offered & (F_FLUSH | F_RO);
  outl(blk.io + REG_GUEST_FEATURES, blk.features & F_FLUSH);

  outw(blk.io + REG_QUEUE_SELECT, 0);
  blk.qsize = inw(blk.io + REG_QUEUE_SIZE);
  if (blk.qsize < 3) {
    outb(blk.io + REG_STATUS, STATUS_FAILED);
    los_panic("virtio-blk queue 0 has %u entries (3 needed)", blk.qsize);
  }
  uint64_t avail_bytes = 16ULL * blk.qsize + 6 + 2ULL * blk.qsize;
  uint64_t used_offset = (avail_bytes + VRING_ALIGN - 1) & ~(uint64_t)(VRING_ALIGN - 1);
  uint8_t *ring = los_alloc_pages(used_offset + 6 + 8ULL * blk.qsize);
  if (!ring) los_panic("no memory for the virtio-blk ring");
  blk.desc = (struct vring_desc *)ring;
  blk.avail = (volatile uint16_t *)(ring + 16ULL * blk.qsize);
  blk.used = (volatile uint16_t *)(ring + used_offset);
  outl(blk.io + REG_QUEUE_PFN, (uint32_t)((uint64_t)ring / VRING_ALIGN));
  outb(blk.io + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);

  blk.sectors = (uint64_t)inl(blk.io + REG_CONFIG) | (uint64_t)inl(blk.io + REG_CONFIG + 4) << 32;
  blk.present = 1;
  los_printf(LOS_TAG "virtio-blk at pci 0:%u.%u: %lu sectors (%lu MiB), queue %u, %s%s\n", dev.slot, dev.func,
             blk.sectors, blk.sectors * LOS_SECTOR_SIZE / LOS_MIB, blk.qsize,
             blk.features & F_FLUSH ? "flush" : "write-through", blk.features & F_RO ? ", read-only" : "");
  return 0;
}

/* Publishes descriptor chain 0 (already filled), notifies and waits for the device. */
static int submit_and_wait(void) {
  blk.avail[2 + blk.avail_idx % blk.qsize] = 0;
  __sync_synchronize();
  blk.avail_idx++;
  blk.avail[1] = blk.avail_idx;
  __sync_synchronize();
  outw(blk.io + REG_QUEUE_NOTIFY, 0);
  while (blk.used[1] == blk.used_seen) cpu_relax();
  blk.used_seen++;
  (void)inb(blk.io + REG_ISR); /* acknowledges the (unused) interrupt condition */
  __sync_synchronize();
  return blk.status == S_OK ? 0 : -LOS_EIO;
}

static int request(uint32_t type, uint64_t sector, void *buf, uint32_t bytes) {
  blk.header = (struct blk_header){type, 0, sector};
  blk.status = 0xff;
  blk.desc[0] = (struct vring_desc){(uint64_t)&blk.header, sizeof blk.header, DESC_NEXT, 1};
  uint16_t status_slot = 1;
  if (bytes) {
    blk.desc[1] = (struct vring_desc){(uint64_t)buf, bytes, DESC_NEXT | (type == T_IN ? DESC_WRITE : 0), 2};
    status_slot = 2;
  }
  blk.desc[0].next = 1;
  blk.desc[status_slot] = (struct vring_desc){(uint64_t)&blk.status, 1, DESC_WRITE, 0};
  return submit_and_wait();
}

int los_blk_rw(int write, uint64_t sector, void *buf, uint64_t bytes) {
  if (!blk.present) return -LOS_ENODEV;
  if (write && (blk.features & F_RO)) return -LOS_EROFS;
  if (bytes % LOS_SECTOR_SIZE) return -LOS_EINVAL;
  if (sector > blk.sectors || bytes / LOS_SECTOR_SIZE > blk.sectors - sector) return -LOS_ENOSPC;
  uint8_t *p = buf;
  while (bytes) {
    uint32_t chunk = (uint32_t)(bytes < MAX_REQUEST_BYTES ? bytes : MAX_REQUEST_BYTES);
    int r = request(write ? T_OUT : T_IN, sector, p, chunk);
    if (r) return r;
    p += chunk, bytes -= chunk, sector += chunk / LOS_SECTOR_SIZE;
  }
  return 0;
}

int los_blk_flush(void) {
  if (!blk.present) return -LOS_ENODEV;
  if (!(blk.features & F_FLUSH)) return 0; /* without the feature the device is write-through */
  return request(T_FLUSH, 0, 0, 0);
}
