/**
 * The hosts this app knows, with the last check of each: `<data folder>/hosts.json`, written
 * atomically (temporary file + rename). No secret is ever stored here: keys, passwords and
 * known hosts stay with the user's OpenSSH.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { HostCheckSchema, HostSchema, type Host, type HostCheck } from '../../shared/hosts';
import { AppFailure, describeZodError } from '../../shared/result';

const HostsFileSchema = z.object({
  hosts: z.array(HostSchema).max(1000),
  checks: z.array(HostCheckSchema).max(1000).default([]),
});
type HostsFile = z.infer<typeof HostsFileSchema>;

/** Largest hosts.json read (it holds names, destinations and check reports). */
const HOSTS_FILE_MAX_BYTES = 8 * 1024 * 1024;

export class HostStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'hosts.json');
  }

  private read(): HostsFile {
    if (!existsSync(this.file)) return { hosts: [], checks: [] };
    const text = readFileSync(this.file);
    if (text.length > HOSTS_FILE_MAX_BYTES)
      throw new AppFailure('IO_ERROR', `${this.file} is larger than ${HOSTS_FILE_MAX_BYTES} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(text.toString('utf8'));
    } catch (e) {
      throw new AppFailure('IO_ERROR', `${this.file} is not valid JSON: ${(e as Error).message}`);
    }
    const parsed = HostsFileSchema.safeParse(json);
    if (!parsed.success)
      throw new AppFailure('IO_ERROR', `${this.file}: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  private write(data: HostsFile): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  list(): Host[] {
    return this.read().hosts;
  }

  get(name: string): Host | undefined {
    return this.read().hosts.find((h) => h.name === name);
  }

  /** The host by name, or NOT_FOUND naming the known ones. */
  require(name: string): Host {
    const host = this.get(name);
    if (host) return host;
    const known = this.list().map((h) => h.name);
    throw new AppFailure(
      'NOT_FOUND',
      `no host named "${name}"${known.length ? ` (known: ${known.join(', ')})` : ' (add one with `benchvisor hosts add NAME DESTINATION`)'}`,
    );
  }

  add(input: unknown): Host {
    const parsed = HostSchema.safeParse(input);
    if (!parsed.success)
      throw new AppFailure('INVALID_INPUT', `invalid host:\n${describeZodError(parsed.error)}`);
    const data = this.read();
    if (data.hosts.some((h) => h.name === parsed.data.name))
      throw new AppFailure('INVALID_INPUT', `a host named "${parsed.data.name}" already exists`);
    data.hosts.push(parsed.data);
    this.write(data);
    return parsed.data;
  }

  remove(name: string): boolean {
    const data = this.read();
    const before = data.hosts.length;
    data.hosts = data.hosts.filter((h) => h.name !== name);
    data.checks = data.checks.filter((c) => c.name !== name);
    if (data.hosts.length === before) return false;
    this.write(data);
    return true;
  }

  lastCheck(name: string): HostCheck | undefined {
    return this.read().checks.find((c) => c.name === name);
  }

  saveCheck(check: HostCheck): void {
    const data = this.read();
    if (!data.hosts.some((h) => h.name === check.name)) return;
    data.checks = [...data.checks.filter((c) => c.name !== check.name), check];
    this.write(data);
  }
}
