// Types of electronStatus.mjs for the TypeScript tests that import it.
export declare const FETCH_ELECTRON_COMMAND: string;
export type ElectronBinary = { path: string; exists: boolean } | { error: string };
export type LaunchPlan =
  { launch: true; bin: string } | { launch: false; reasons: string[]; fixes: string[] };
export declare function electronLaunchPlan(facts: {
  binary: ElectronBinary;
  env: Record<string, string | undefined>;
  platform: string;
}): LaunchPlan;
export declare function fetchOutcomeMessage(outcome: {
  ok: boolean;
  detail?: string;
  mirror?: string;
}): string;
