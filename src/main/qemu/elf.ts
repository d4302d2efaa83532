/**
 * A minimal reader for 64-bit little-endian ELF files: just enough to find a
 * named section (a kernel module's .modinfo), the program interpreter and the
 * DT_NEEDED shared libraries of an executable.
 */

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read as little-endian u32
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
/** Section header type of .dynamic, and the dynamic tags we read. */
const SHT_DYNAMIC = 6;
const DT_NULL = 0;
const DT_NEEDED = 1;
/** Size of one Elf64_Dyn entry (tag + value). */
const DYN_ENTRY_SIZE = 16;

export interface ElfSection {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
}

export class ElfFile {
  readonly sections: ElfSection[];

  private constructor(private readonly buf: Buffer) {
    this.sections = readSections(buf);
  }

  /** Parses an ELF64 LE image; throws a clear error for anything else. */
  static parse(buf: Buffer, what = 'file'): ElfFile {
    if (buf.length < 64 || buf.readUInt32LE(0) !== ELF_MAGIC)
      throw new Error(`${what} is not an ELF file`);
    if (buf[4] !== ELFCLASS64 || buf[5] !== ELFDATA2LSB)
      throw new Error(`${what} is not a 64-bit little-endian ELF file`);
    return new ElfFile(buf);
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  sectionData(name: string): Buffer | undefined {
    const s = this.section(name);
    return s ? this.buf.subarray(s.offset, s.offset + s.size) : undefined;
  }

  /** The program interpreter (PT_INTERP path), when the file is dynamically linked. */
  interpreter(): string | undefined {
    const data = this.sectionData('.interp');
    return data ? data.toString('utf8').replace(/\0.*$/s, '') : undefined;
  }

  /** Names of the shared libraries this file needs (DT_NEEDED), in order. */
  needed(): string[] {
    const dyn = this.sections.find((s) => s.type === SHT_DYNAMIC);
    if (!dyn) return [];
    const strtab = this.sections[dyn.link];
    if (!strtab) return [];
    const out: string[] = [];
    for (
      let off = dyn.offset;
      off + DYN_ENTRY_SIZE <= dyn.offset + dyn.size;
      off += DYN_ENTRY_SIZE
    ) {
      const tag = Number(this.buf.readBigUInt64LE(off));
      if (tag === DT_NULL) break;
      if (tag !== DT_NEEDED) continue;
      const strOff = strtab.offset + Number(this.buf.readBigUInt64LE(off + 8));
      const end = this.buf.indexOf(0, strOff);
      out.push(this.buf.toString('utf8', strOff, end < 0 ? undefined : end));
    }
    return out;
  }

  /** key=value pairs of a kernel module's .modinfo section (keys may repeat). */
  modinfo(): [string, string][] {
    const data = this.sectionData('.modinfo');
    if (!data) return [];
    return data
      .toString('utf8')
      .split('\0')
      .filter((s) => s.includes('='))
      .map((s) => {
        const i = s.indexOf('=');
        return [s.slice(0, i), s.slice(i + 1)] as [string, string];
      });
  }
}

function readSections(buf: Buffer): ElfSection[] {
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  if (shoff === 0 || shnum === 0) return [];
  if (shoff + shnum * shentsize > buf.length)
    throw new Error('ELF section table lies outside the file');
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const base = shoff + i * shentsize;
    raw.push({
      nameOff: buf.readUInt32LE(base),
      type: buf.readUInt32LE(base + 4),
      offset: Number(buf.readBigUInt64LE(base + 0x18)),
      size: Number(buf.readBigUInt64LE(base + 0x20)),
      link: buf.readUInt32LE(base + 0x28),
    });
  }
  const names = raw[shstrndx];
  return raw.map((s) => {
    let name = '';
    if (names) {
      const start = names.offset + s.nameOff;
      const end = buf.indexOf(0, start);
      name = buf.toString('utf8', start, end < 0 ? undefined : end);
    }
    return { name, type: s.type, offset: s.offset, size: s.size, link: s.link };
  });
}
