/* virtio_blk.h: the benchmark disk (one virtio-blk PCI device, legacy interface, polled). */
#ifndef LOS_VIRTIO_BLK_H
#define LOS_VIRTIO_BLK_H

#include "los.h"

#define LOS_SECTOR_SIZE 512UL

/* 0 when a disk was found and set up; -1 when there is none (not an error: only diskwrite needs one). */
int los_blk_init(void);
int los_blk_present(void);
uint64_t los_blk_sectors(void);
/* Reads or writes whole sectors from/to buf (any alignment, physically contiguous). 0 or -errno. */
int los_blk_rw(int write, uint64_t sector, void *buf, uint64_t bytes);
/* Makes written data durable (VIRTIO_BLK_T_FLUSH when the device has a volatile cache). 0 or -errno. */
int los_blk_flush(void);

#endif
