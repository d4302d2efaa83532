/* pci.c: PCI configuration space through ports 0xcf8/0xcfc (mechanism #1), bus 0 only. */
#include "pci.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_ENABLE 0x80000000u
#define PCI_SLOTS 32
#define PCI_FUNCS 8
#define PCI_HEADER_TYPE 0x0c /* dword holding the header type byte (bits 23..16) */
#define PCI_MULTIFUNCTION 0x800000u
#define PCI_NO_DEVICE 0xffff

static uint32_t address(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset) {
  return PCI_ENABLE | (uint32_t)bus << 16 | (uint32_t)slot << 11 | (uint32_t)func << 8 | (offset & 0xfc);
}

static uint32_t read32(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset) {
  outl(PCI_CONFIG_ADDRESS, address(bus, slot, func, offset));
  return inl(PCI_CONFIG_DATA);
}

uint32_t los_pci_read32(const los_pci_device *d, uint8_t offset) { return read32(d->bus, d->slot, d->func, offset); }

void los_pci_write16(const los_pci_device *d, uint8_t offset, uint16_t v) {
  outl(PCI_CONFIG_ADDRESS, address(d->bus, d->slot, d->func, offset));
  outw((uint16_t)(PCI_CONFIG_DATA + (offset & 2)), v);
}

int los_pci_find(uint16_t vendor, const uint16_t *devices, los_pci_device *out) {
  for (uint8_t slot = 0; slot < PCI_SLOTS; slot++) {
    for (uint8_t func = 0; func < PCI_FUNCS; func++) {
      uint32_t id = read32(0, slot, func, 0);
      if ((id & 0xffff) == PCI_NO_DEVICE) {
        if (func == 0) break;
        continue;
      }
      for (const uint16_t *d = devices; *d; d++) {
        if ((id & 0xffff) == vendor && (id >> 16) == *d) {
          *out = (los_pci_device){0, slot, func, vendor, *d};
          return 0;
        }
      }
      if (func == 0 && !(read32(0, slot, 0, PCI_HEADER_TYPE) & PCI_MULTIFUNCTION)) break;
    }
  }
  return -1;
}
