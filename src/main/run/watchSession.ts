/**
 * Wraps a platform session so the runner sees each exec's platform-level failure (guest death)
 * and each pause / resume that succeeded (the run view's paused / live state).
 */
import type { ExecRequest, ExecResult, PlatformSession } from '../session/types';

export function watchSession(
  session: PlatformSession,
  onFailure: (f: NonNullable<ExecResult['failure']>) => void,
  onPaused: (paused: boolean) => void = () => {},
): PlatformSession {
  const pause = session.pause?.bind(session);
  const resume = session.resume?.bind(session);
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
    ...(pause
      ? {
          pause: async () => {
            await pause();
            onPaused(true);
          },
        }
      : {}),
    ...(resume
      ? {
          resume: async () => {
            await resume();
            onPaused(false);
          },
        }
      : {}),
  };
}
