/**
 * The meta recorded with one sample: the session's facts read after that
 * repetition (a QEMU session asks QMP query-kvm each time), on top of the facts
 * read when the platform was prepared. A session whose facts cannot be read
 * (a dead guest) keeps the earlier ones, labelled so.
 */
import type { PlatformSession } from '../platforms/platform';

export async function sampleMeta(
  session: PlatformSession,
  prepared: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  try {
    return { ...prepared, ...(await session.meta()), metaReadAt: 'sample' };
  } catch {
    return { ...prepared, metaReadAt: 'prepare' };
  }
}
