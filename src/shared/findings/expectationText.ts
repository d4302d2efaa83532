/** Expectations in the user's words, with their subjects (a platform or a target) named by title. */
import { CATALOGUE } from '../catalogue';
import { subjectPlatform, type Expectation } from '../config';
import { PLATFORM_INFO } from '../platforms';
import { targetLabelOf } from '../targets';

/** "QEMU (emulated, TCG)" for a platform, "QEMU TCG · qcow2" for one of its targets. */
export function subjectTitle(subject: string): string {
  const p = subjectPlatform(subject);
  if (!p) return subject;
  return subject === p ? PLATFORM_INFO[p].title : targetLabelOf(p, subject);
}

/** " by ≥ 10%" when the expectation names a margin. */
function margin(e: { byAtLeastPercent?: number | undefined }): string {
  return e.byAtLeastPercent === undefined ? '' : ` by ≥ ${e.byAtLeastPercent}%`;
}

/** One line, e.g. "QEMU TCG · qcow2 slower than QEMU TCG · raw by ≥ 10% on Disk write". */
export function describeExpectation(e: Expectation): string {
  const t = subjectTitle;
  const bench = CATALOGUE[e.benchmark].title;
  switch (e.kind) {
    case 'approx':
      return `${t(e.a)} ≈ ${t(e.b)} within ${e.withinPercent}% on ${bench}`;
    case 'faster':
      return `${t(e.a)} faster than ${t(e.b)}${margin(e)} on ${bench}`;
    case 'slower':
      return `${t(e.a)} slower than ${t(e.b)}${margin(e)} on ${bench}`;
    case 'ranking':
      return `${bench}: ${e.order.map(t).join(' > ')} (fastest first)`;
  }
}
