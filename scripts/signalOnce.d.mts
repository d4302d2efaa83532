// Types of signalOnce.mjs for the TypeScript tests that import it.
export declare const FORWARD_BOUND_MS: number;
export declare function forwardOnce(deps: {
  kill: (signal: string) => void;
  now?: () => number;
  boundMs?: number;
}): (signal: string) => boolean;
