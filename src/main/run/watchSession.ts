/** Wraps a platform session so the runner sees each exec's platform-level failure (guest death). */
import type { ExecRequest, ExecResult, PlatformSession } from '../session/types';

export function watchSession(
  session: PlatformSession,
  onFailure: (f: NonNullable<ExecResult['failure']>) => void,
): PlatformSession {
  return {
    get diskTarget() {
      return session.diskTarget;
    },
    exec: async (req: ExecRequest) => {
      const res = await session.exec(req);
      if (res.failure) onFailure(res.failure);
      return res;
    },
    startService: (spec, signal) => session.startService(spec, signal),
    write: (d) => session.write(d),
    meta: () => session.meta(),
    dispose: () => session.dispose(),
    ...(session.pause ? { pause: () => session.pause!() } : {}),
    ...(session.resume ? { resume: () => session.resume!() } : {}),
  };
}
