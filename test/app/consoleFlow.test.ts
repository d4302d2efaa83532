import { describe, expect, it } from 'vitest';
import { ConsoleFlow, splitString, utf8Bytes } from '../../src/main/api/consoleFlow';
import type { FlowOptions, Scheduler } from '../../src/main/api/consoleFlow';

/** A scheduler driven by hand: run() fires the pending timer. */
function manualScheduler(): Scheduler & { run(): void; pending: boolean } {
  let fn: (() => void) | null = null;
  return {
    set: (f) => {
      fn = f;
      return 1;
    },
    clear: () => {
      fn = null;
    },
    run() {
      const f = fn;
      fn = null;
      f?.();
    },
    get pending() {
      return fn !== null;
    },
  };
}

const OPTS: FlowOptions = {
  batchIntervalMs: 16,
  batchMaxBytes: 100,
  highWatermark: 300,
  lowWatermark: 100,
};

function collect(): {
  sent: { data: string; offset: number }[];
  send(d: string, o: number): void;
  text(): string;
} {
  const sent: { data: string; offset: number }[] = [];
  return {
    sent,
    send: (data, offset) => sent.push({ data, offset }),
    text: () => sent.map((s) => s.data).join(''),
  };
}

describe('ConsoleFlow', () => {
  it('batches small chunks until the timer fires', () => {
    const out = collect();
    const sched = manualScheduler();
    const flow = new ConsoleFlow(out.send, 0, OPTS, sched);
    flow.push('ab');
    flow.push('cd');
    expect(out.sent).toEqual([]);
    sched.run();
    expect(out.sent).toEqual([{ data: 'abcd', offset: 4 }]);
  });

  it('sends at once when a full batch is waiting, never more than batchMaxBytes per message', () => {
    const out = collect();
    const flow = new ConsoleFlow(out.send, 0, OPTS, manualScheduler());
    for (let i = 0; i < 5; i++) flow.push('x'.repeat(40));
    expect(out.sent.length).toBeGreaterThan(0);
    for (const s of out.sent) expect(utf8Bytes(s.data)).toBeLessThanOrEqual(100);
  });

  it('pauses above the high watermark, resumes below the low one, and drops nothing', () => {
    const out = collect();
    const sched = manualScheduler();
    const flow = new ConsoleFlow(out.send, 0, OPTS, sched);
    let expected = '';
    for (let i = 0; i < 20; i++) {
      const chunk = String(i % 10).repeat(50);
      expected += chunk;
      flow.push(chunk);
    }
    expect(flow.state.paused).toBe(true);
    const sentWhilePaused = out.sent.at(-1)!.offset;
    expect(sentWhilePaused).toBeGreaterThanOrEqual(300);
    expect(sentWhilePaused).toBeLessThan(1000);
    // Acking a little is not enough to resume.
    flow.ack(50);
    expect(flow.state.paused).toBe(true);
    expect(out.sent.at(-1)!.offset).toBe(sentWhilePaused);
    // Acking everything sent resumes; keep acking until all arrived.
    for (let guard = 0; guard < 50 && out.sent.at(-1)!.offset < 1000; guard++) {
      flow.ack(out.sent.at(-1)!.offset);
      sched.run();
    }
    expect(out.text()).toBe(expected);
    expect(out.sent.at(-1)!.offset).toBe(1000);
    // Offsets are strictly increasing and match the bytes delivered.
    let total = 0;
    for (const s of out.sent) {
      total += utf8Bytes(s.data);
      expect(s.offset).toBe(total);
    }
  });

  it('counts offsets in UTF-8 bytes and never splits a surrogate pair', () => {
    const out = collect();
    const sched = manualScheduler();
    const flow = new ConsoleFlow(out.send, 0, OPTS, sched);
    const text = '€'.repeat(30) + '😀'.repeat(30);
    flow.push(text);
    sched.run();
    expect(out.text()).toBe(text);
    expect(out.sent.at(-1)!.offset).toBe(utf8Bytes(text));
    for (const s of out.sent) expect(s.data).not.toMatch(/[\ud800-\udbff]$/);
    expect(splitString('a😀b', 2)).toEqual(['a', '😀', 'b']);
  });

  it('resetTo forgets queued data and continues from the given offset', () => {
    const out = collect();
    const sched = manualScheduler();
    const flow = new ConsoleFlow(out.send, 0, OPTS, sched);
    flow.push('old');
    flow.resetTo(3);
    expect(sched.pending).toBe(false);
    flow.push('new');
    sched.run();
    expect(out.sent).toEqual([{ data: 'new', offset: 6 }]);
  });
});
