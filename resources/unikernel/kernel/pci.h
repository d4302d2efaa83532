/* pci.h: finding a device on PCI bus 0 through the legacy configuration ports. */
#ifndef LOS_PCI_H
#define LOS_PCI_H

#include "los.h"

typedef struct {
  uint8_t bus, slot, func;
  uint16_t vendor, device;
} los_pci_device;

/* Finds the first function with this vendor and one of the device ids (0-terminated list); 0 when found. */
int los_pci_find(uint16_t vendor, const uint16_t *devices, los_pci_device *out);
uint32_t los_pci_read32(const los_pci_device *d, uint8_t offset);
void los_pci_write16(const los_pci_device *d, uint8_t offset, uint16_t v);

#endif
