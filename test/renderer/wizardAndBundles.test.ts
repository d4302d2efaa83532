/**
 * Renderer logic around Export/Import and the wizard: upload checks and base64, the
 * expectation draft, and the config the wizard produces (validated by the shared schema and
 * evaluated by findings as held / not held). No DOM or Node APIs needed.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLE_UPLOAD_MAX_BYTES, type BenchvisorApi } from '../../src/shared/api';
import { parseExperimentConfig } from '../../src/shared/config';
import { computeFindings } from '../../src/shared/findings';
import type { Sample } from '../../src/shared/sample';
import { summarize } from '../../src/shared/stats';
import { bytesToBase64 } from '../../src/shared/bundleUpload';
import { bundleFileProblem, downloadUrl } from '../../src/renderer/src/bundles/bundleFiles';
import {
  describeExpectation,
  draftToExpectation,
} from '../../src/renderer/src/wizard/expectationDraft';
import type { ExpectationDraft } from '../../src/renderer/src/wizard/expectationDraft';
import { createWizardStore } from '../../src/renderer/src/stores/wizardStore';

describe('bundle upload helpers', () => {
  it('refuses non-zip names, empty files and files over the API limit', () => {
    expect(bundleFileProblem({ name: 'run.tar', size: 10 })).toContain('.zip');
    expect(bundleFileProblem({ name: 'run.zip', size: 0 })).toContain('empty');
    expect(bundleFileProblem({ name: 'run.zip', size: BUNDLE_UPLOAD_MAX_BYTES + 1 })).toContain(
      'cannot be uploaded',
    );
    expect(bundleFileProblem({ name: 'RUN.ZIP', size: BUNDLE_UPLOAD_MAX_BYTES })).toBeNull();
  });

  it('encodes bytes as standard base64, across chunk boundaries', () => {
    // RFC 4648 test vectors, then a buffer spanning several conversion chunks.
    const ascii = (t: string): Uint8Array => Uint8Array.from(t, (c) => c.charCodeAt(0));
    expect(bytesToBase64(ascii('foobar'))).toBe('Zm9vYmFy');
    expect(bytesToBase64(ascii('fooba'))).toBe('Zm9vYmE=');
    expect(bytesToBase64(Uint8Array.of(0xff, 0xfe, 0x00))).toBe('//4A');
    const big = new Uint8Array(3 * 40_000).map((_, i) => [0xff, 0xfe, 0x00][i % 3] ?? 0);
    expect(bytesToBase64(big)).toBe('//4A'.repeat(40_000));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('builds the download URL web mode serves', () => {
    expect(downloadUrl('benchvisor-a b.zip')).toBe('/downloads/benchvisor-a%20b.zip');
  });
});

describe('expectation drafts', () => {
  const base: ExpectationDraft = {
    kind: 'approx',
    benchmark: 'linpack',
    a: 'native',
    b: 'docker',
    withinPercent: 5,
    order: ['native', 'docker', '', ''],
  };

  it('turns each kind into a schema-valid expectation', () => {
    const approx = draftToExpectation(base);
    expect(approx).toEqual({
      ok: true,
      expectation: {
        kind: 'approx',
        benchmark: 'linpack',
        a: 'native',
        b: 'docker',
        withinPercent: 5,
      },
    });
    const faster = draftToExpectation({ ...base, kind: 'faster' });
    expect(faster.ok && faster.expectation).toEqual({
      kind: 'faster',
      benchmark: 'linpack',
      a: 'native',
      b: 'docker',
    });
    const ranking = draftToExpectation({
      ...base,
      kind: 'ranking',
      order: ['native', '', 'qemu-kvm', ''],
    });
    expect(ranking.ok && ranking.expectation).toEqual({
      kind: 'ranking',
      benchmark: 'linpack',
      order: ['native', 'qemu-kvm'],
    });
    expect(describeExpectation(approx.ok ? approx.expectation : (null as never))).toBe(
      'Native ≈ Docker within 5% on LINPACK',
    );
  });

  it('says what is wrong with an incomplete draft', () => {
    const same = draftToExpectation({ ...base, b: 'native' });
    expect(!same.ok && same.message).toContain('two different platforms');
    const noTol = draftToExpectation({ ...base, withinPercent: null });
    expect(!noTol.ok && noTol.message).toContain('tolerance');
    const short = draftToExpectation({ ...base, kind: 'ranking', order: ['native', '', '', ''] });
    expect(!short.ok && short.message).toContain('at least two');
    const twice = draftToExpectation({ ...base, kind: 'ranking', order: ['docker', 'docker'] });
    expect(!twice.ok && twice.message).toContain('twice');
  });
});

describe('wizard config: expectations and Docker options', () => {
  const api = {} as BenchvisorApi;

  it('carries expectations, and the Docker options whatever the platforms (a saved file keeps them)', () => {
    const w = createWizardStore(api);
    expect(w.getState().config().expectations).toEqual([]);
    w.getState().addExpectation({ kind: 'faster', benchmark: 'linpack', a: 'native', b: 'docker' });
    w.getState().addExpectation({
      kind: 'ranking',
      benchmark: 'forksum',
      order: ['native', 'docker'],
    });
    w.getState().removeExpectation(0);
    w.getState().setDocker({ network: 'bridge', diskOn: 'layer' });
    expect(w.getState().config().docker).toEqual({ network: 'bridge', diskOn: 'layer' });
    w.getState().togglePlatform('docker', true);
    const parsed = parseExperimentConfig(w.getState().config());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.docker).toEqual({ network: 'bridge', diskOn: 'layer' });
    expect(parsed.config.expectations).toEqual([
      { kind: 'ranking', benchmark: 'forksum', order: ['native', 'docker'] },
    ]);
  });

  it("the wizard's expectation is evaluated as held / not held on the results", () => {
    const w = createWizardStore(api);
    w.getState().togglePlatform('docker', true);
    w.getState().addExpectation({ kind: 'faster', benchmark: 'linpack', a: 'docker', b: 'native' });
    const parsed = parseExperimentConfig(w.getState().config());
    if (!parsed.ok) throw new Error(parsed.message);
    // linpack: higher is better; native clearly ahead of docker.
    const samples: Sample[] = [100, 101, 99, 100, 60, 61, 59, 60].map((value, i) => ({
      runId: 'r1',
      platform: i < 4 ? 'native' : 'docker',
      benchmark: 'linpack',
      rep: (i % 4) + 1,
      metric: 'kflops',
      value,
      unit: 'KFLOPS',
      metrics: { kflops: value },
      startedAt: new Date(0).toISOString(),
      durationMs: 1000,
      exitCode: 0,
      meta: {},
    }));
    const findings = computeFindings({
      samples,
      summary: summarize(samples),
      config: parsed.config,
    });
    const f = findings.find((x) => x.kind === 'expectation');
    expect(f?.held).toBe(false);
    expect(f?.title).toContain('Docker faster than Native');
  });
});
