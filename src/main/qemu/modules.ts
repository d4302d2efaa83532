/**
 * Picks the kernel modules the guest needs (virtio drivers) together with
 * everything they depend on, in load order. Dependencies come from
 * modules.dep when the folder has one (an installed kernel), else from each
 * module's own .modinfo "depends=" field (an unpacked package has no
 * modules.dep because depmod never ran). Compressed modules (.ko.xz, .ko.zst,
 * .ko.gz) are decompressed on the host so busybox insmod can load them.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppFailure } from '../../shared/result';
import { ElfFile } from './elf';

/** The drivers a Benchvisor guest needs: PCI transport, disk, network, agent channel. */
export const GUEST_MODULES = ['virtio_pci', 'virtio_blk', 'virtio_net', 'virtio_console'] as const;

const MODULE_FILE = /\.ko(\.xz|\.zst|\.gz)?$/;
/** Decompressed modules are small; this bounds a broken tool's output. */
const MAX_MODULE_BYTES = 256 * 1024 * 1024;

export interface ModuleFile {
  /** Canonical module name (dashes turned into underscores). */
  name: string;
  /** Path relative to the modules folder, without the compression suffix. */
  relPath: string;
  /** Uncompressed module image. */
  data: Buffer;
}

export interface ModuleSelection {
  /** Modules to insmod, dependencies first. */
  ordered: ModuleFile[];
  /** Wanted modules that are built into the kernel (nothing to load). */
  builtin: string[];
}

export function moduleName(path: string): string {
  return basename(path).replace(MODULE_FILE, '').replace(/-/g, '_');
}

/** Parses modules.dep ("kernel/a.ko: kernel/b.ko kernel/c.ko") into name → {path, deps}. */
export function parseModulesDep(text: string): Map<string, { path: string; deps: string[] }> {
  const out = new Map<string, { path: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const path = line.slice(0, i).trim();
    const deps = line
      .slice(i + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(moduleName);
    out.set(moduleName(path), { path, deps });
  }
  return out;
}

async function walkModules(dir: string, root: string, out: Map<string, string>): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walkModules(p, root, out);
    else if (MODULE_FILE.test(e.name)) out.set(moduleName(e.name), relative(root, p));
  }
}

function decompressWith(tool: string, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      ['-dc', path],
      { encoding: 'buffer', maxBuffer: MAX_MODULE_BYTES },
      (error, stdout) => {
        if (error)
          reject(
            new AppFailure(
              'TOOL_MISSING',
              `cannot decompress ${path} with ${tool}: ${error.message}`,
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

/** Reads a module file, decompressing it when needed. */
export async function readModule(path: string): Promise<Buffer> {
  if (path.endsWith('.xz')) return decompressWith('xz', path);
  if (path.endsWith('.zst')) return decompressWith('zstd', path);
  const raw = await readFile(path);
  return path.endsWith('.gz') ? gunzipSync(raw) : raw;
}

async function readBuiltin(modulesDir: string): Promise<Set<string>> {
  try {
    const text = await readFile(join(modulesDir, 'modules.builtin'), 'utf8');
    return new Set(text.split('\n').filter(Boolean).map(moduleName));
  } catch {
    return new Set();
  }
}

/** Resolves the wanted modules and their dependencies into load order. */
export async function selectModules(
  modulesDir: string,
  wanted: readonly string[],
): Promise<ModuleSelection> {
  const builtinSet = await readBuiltin(modulesDir);
  let depIndex: Map<string, { path: string; deps: string[] }> | null = null;
  try {
    depIndex = parseModulesDep(await readFile(join(modulesDir, 'modules.dep'), 'utf8'));
  } catch {
    depIndex = null;
  }
  const paths = new Map<string, string>();
  if (depIndex) for (const [name, v] of depIndex) paths.set(name, v.path);
  else await walkModules(modulesDir, modulesDir, paths);

  const ordered: ModuleFile[] = [];
  const builtin: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = async (rawName: string, chain: string[]): Promise<void> => {
    const name = rawName.replace(/-/g, '_');
    if (done.has(name)) return;
    if (builtinSet.has(name)) {
      done.add(name);
      builtin.push(name);
      return;
    }
    if (visiting.has(name))
      throw new AppFailure('INTERNAL', `module dependency cycle: ${[...chain, name].join(' → ')}`);
    const rel = paths.get(name);
    if (!rel) {
      throw new AppFailure(
        'NOT_FOUND',
        `kernel module ${name} (needed by ${chain.join(' → ') || 'the guest'}) is neither in ${modulesDir} nor built in`,
      );
    }
    visiting.add(name);
    const data = await readModule(join(modulesDir, rel));
    const deps = depIndex
      ? (depIndex.get(name)?.deps ?? [])
      : ElfFile.parse(data, rel)
          .modinfo()
          .filter(([k]) => k === 'depends')
          .flatMap(([, v]) => v.split(',').filter(Boolean));
    for (const d of deps) await visit(d, [...chain, name]);
    visiting.delete(name);
    done.add(name);
    ordered.push({ name, relPath: rel.replace(/\.(xz|zst|gz)$/, ''), data });
  };
  for (const w of wanted) await visit(w, []);
  return { ordered, builtin };
}
