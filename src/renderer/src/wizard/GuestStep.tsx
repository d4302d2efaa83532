/** Step 2 (VM or container platforms only): the guest's shape, the same on every platform. */
import { Fragment, type ReactNode } from 'react';
import { PLATFORM_IDS, PLATFORM_INFO, type PlatformId } from '../../../shared/platforms';
import { CacheMode, DiskFormat, Preallocation, guestLimits } from '../../../shared/config';
import type { DockerOptions } from '../../../shared/config';
import { NumberField, SelectField, TextField } from '../components/fields';
import { useDomain, useStores } from '../stores/context';
import { CompareField } from './CompareField';
import { DiskFitNote } from './DiskFitNote';
import { TargetSummary } from './TargetSummary';
import { fieldChoices } from './variantDraft';

/** How the diskwrite target options read (the values come from the schema). */
const DISK_ON_LABEL: Record<string, string> = {
  scratch: 'run scratch folder',
  volume: 'volume',
  layer: 'container layer',
};

/** A Docker option's values as select options, from the schema. */
function dockerOptions<K extends 'network' | 'diskOn'>(
  field: K,
  label: (v: string) => string = (v) => v,
): { value: DockerOptions[K]; label: string }[] {
  const choices = fieldChoices(field);
  const values = choices.kind === 'enum' ? choices.values : [];
  return values.map((v) => ({ value: v as DockerOptions[K], label: label(v) }));
}

const NETWORK_HELP: Record<string, string> = {
  host: 'The container shares the host network: no NAT between nginx and the load generator.',
  bridge: 'A port published on 127.0.0.1 through the bridge: includes Docker’s NAT/proxy cost.',
};

const DISK_ON_HELP: Record<string, string> = {
  scratch:
    'The run’s scratch folder, bind-mounted: the same host filesystem as native and the VM disks.',
  volume: 'diskwrite writes to a named volume (a plain host directory).',
  layer: 'diskwrite writes to the container’s own overlay layer (copy-on-write).',
};

/** One line per cache mode, in the list itself: every choice says what it does. */
const CACHE_LABEL: Record<string, string> = {
  none: 'none — bypasses the host page cache: honest disk figures (default)',
  writeback: 'writeback — host page cache absorbs writes: faster than the disk',
  writethrough: 'writethrough — host cache for reads; every write reaches the disk',
  directsync: 'directsync — bypasses the host cache and waits for every write',
  unsafe: 'unsafe — flushes ignored: fastest, figures not meaningful',
};

const CACHE_HELP: Record<string, string> = {
  none: 'O_DIRECT on the host: honest disk figures (default).',
  writeback: 'Host page cache absorbs writes: disk figures look faster than the disk.',
  writethrough: 'Host cache for reads, writes reach the disk.',
  directsync: 'O_DIRECT and synchronous writes.',
  unsafe: 'Flushes ignored: fastest, figures not meaningful.',
};

/** What the lead adds about the chosen platforms: only those in the run are named. */
function shapeNote(platforms: readonly PlatformId[]): string {
  const kinds = new Set(platforms.map((p) => PLATFORM_INFO[p].kind));
  const parts: string[] = [];
  if (kinds.has('vm')) parts.push(' QEMU’s own default is 1 vCPU.');
  if (kinds.has('container')) parts.push(' Docker gets the same CPU and memory limits.');
  return parts.join('');
}

/** Platforms chosen here by accelerator ("Virtualize" first, then "Emulate"), from their traits. */
const ACCEL_PLATFORMS = PLATFORM_IDS.filter(
  (p) => PLATFORM_INFO[p].wizardSection === 'accelerator',
).sort(
  (a, b) =>
    (PLATFORM_INFO[a].accelerator === 'kvm' ? 0 : 1) -
    (PLATFORM_INFO[b].accelerator === 'kvm' ? 0 : 1),
);

export function GuestStep(): ReactNode {
  const { wizard } = useStores();
  const guest = useDomain('wizard', (s) => s.guest);
  const platforms = useDomain('wizard', (s) => s.platforms);
  const report = useDomain('doctor', (s) => s.report);
  const set = wizard.getState().setGuest;
  const docker = useDomain('wizard', (s) => s.docker);
  const setDocker = wizard.getState().setDocker;

  return (
    <section className="step" data-testid="wizard-step-guest">
      <h2>Guest shape</h2>
      <p className="lead">
        Applies to{' '}
        {platforms
          .filter((p) => PLATFORM_INFO[p].shaped)
          .map((p) => PLATFORM_INFO[p].title)
          .join(', ')}
        .{shapeNote(platforms)}
      </p>
      <div className="accel">
        {ACCEL_PLATFORMS.map((id) => {
          const availability = report?.platforms.find((p) => p.id === id)?.availability;
          const toggle = PLATFORM_INFO[id].wizardToggle ?? { label: id, testId: `accel-${id}` };
          return (
            <Fragment key={id}>
              <label
                className={`inline${availability && !availability.available ? ' disabled' : ''}`}
              >
                <input
                  type="checkbox"
                  data-testid={toggle.testId}
                  checked={platforms.includes(id)}
                  disabled={!availability?.available && !platforms.includes(id)}
                  onChange={(e) => wizard.getState().togglePlatform(id, e.target.checked)}
                />
                {toggle.label}
              </label>
              {availability && !availability.available ? (
                <span className="reason" data-testid={`${toggle.testId}-reason`}>
                  unavailable: {availability.reason}
                </span>
              ) : null}
            </Fragment>
          );
        })}
      </div>
      <div className="grid">
        <CompareField field="vcpus" label="vCPUs" testId="guest-vcpus">
          <NumberField
            label="vCPUs"
            testId="guest-vcpus"
            value={guest.vcpus}
            integer
            {...guestLimits('vcpus')}
            onChange={(v) => v !== null && set({ vcpus: v })}
          />
        </CompareField>
        <CompareField field="memoryMiB" label="Memory" unit="MiB" testId="guest-memory">
          <NumberField
            label="Memory"
            unit="MiB"
            testId="guest-memory"
            value={guest.memoryMiB}
            integer
            {...guestLimits('memoryMiB')}
            onChange={(v) => v !== null && set({ memoryMiB: v })}
          />
        </CompareField>
        <CompareField field="diskFormat" label="Disk format" testId="guest-disk-format">
          <SelectField
            label="Disk format"
            testId="guest-disk-format"
            value={guest.diskFormat}
            options={DiskFormat.options.map((o) => ({ value: o, label: o }))}
            onChange={(v) => set({ diskFormat: v })}
            help="raw: a plain file; qcow2: copy-on-write with metadata."
          />
        </CompareField>
        <NumberField
          label="Disk size"
          unit="MiB"
          testId="guest-disk-size"
          value={guest.diskSizeMiB}
          integer
          {...guestLimits('diskSizeMiB')}
          onChange={(v) => v !== null && set({ diskSizeMiB: v })}
        />
        <CompareField field="cacheMode" label="Cache mode" testId="guest-cache-mode">
          <SelectField
            label="Cache mode"
            testId="guest-cache-mode"
            value={guest.cacheMode}
            options={CacheMode.options.map((o) => ({ value: o, label: CACHE_LABEL[o] ?? o }))}
            onChange={(v) => set({ cacheMode: v })}
            help={CACHE_HELP[guest.cacheMode]}
          />
        </CompareField>
        <CompareField field="preallocation" label="Preallocation" testId="guest-preallocation">
          <SelectField
            label="Preallocation"
            testId="guest-preallocation"
            value={guest.preallocation}
            options={Preallocation.options.map((o) => ({ value: o, label: o }))}
            onChange={(v) => set({ preallocation: v })}
            help="How qemu-img reserves the disk's space up front."
          />
        </CompareField>
      </div>
      <DiskFitNote />
      {platforms.some((p) => PLATFORM_INFO[p].guestFields.includes('kernelPath')) ? (
        <div className="grid" data-testid="guest-kernel-options">
          <TextField
            wide
            label="Guest kernel (optional)"
            testId="guest-kernel-path"
            value={guest.kernelPath ?? ''}
            placeholder="host /boot kernel, else the distribution's"
            onChange={(v) => set({ kernelPath: v.trim() === '' ? undefined : v.trim() })}
            help="A vmlinuz file on the machine that runs the experiment. Empty: the host's /boot kernel where readable, else the distribution's kernel package (fetched into the cache)."
          />
          <TextField
            wide
            label="Its modules folder (optional)"
            testId="guest-modules-dir"
            value={guest.modulesDir ?? ''}
            placeholder="/lib/modules/<version>"
            onChange={(v) => set({ modulesDir: v.trim() === '' ? undefined : v.trim() })}
            help="Where that kernel's virtio modules are, unless they are built in."
          />
        </div>
      ) : null}
      {platforms.some((p) => PLATFORM_INFO[p].wizardSection === 'docker') ? (
        <div className="docker-options" data-testid="docker-options">
          <h3>Docker</h3>
          <div className="grid">
            <CompareField field="network" label="Network" testId="docker-network">
              <SelectField
                label="Network"
                testId="docker-network"
                value={docker.network}
                options={dockerOptions('network')}
                onChange={(v) => setDocker({ network: v })}
                help={NETWORK_HELP[docker.network]}
              />
            </CompareField>
            <CompareField
              field="diskOn"
              label="diskwrite writes to"
              testId="docker-disk-on"
              valueLabel={(v) => DISK_ON_LABEL[v] ?? v}
            >
              <SelectField
                label="diskwrite writes to"
                testId="docker-disk-on"
                value={docker.diskOn}
                options={dockerOptions('diskOn', (v) => DISK_ON_LABEL[v] ?? v)}
                onChange={(v) => setDocker({ diskOn: v })}
                help={DISK_ON_HELP[docker.diskOn]}
              />
            </CompareField>
          </div>
        </div>
      ) : null}
      <TargetSummary />
    </section>
  );
}
