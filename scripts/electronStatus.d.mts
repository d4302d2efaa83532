// Types of electronStatus.mjs for the TypeScript tests and e2e specs that import it.
export declare const FETCH_ELECTRON_COMMAND: string;
export declare const LAUNCH_EXIT: {
  ok: 0;
  noBinary: number;
  root: number;
  noDisplay: number;
  sandbox: number;
};
export type ElectronBinary = { path: string; exists: boolean } | { error: string };
export interface SandboxHelper {
  path: string;
  exists: boolean;
  uid?: number;
  mode?: number;
}
export interface UserNamespaces {
  restricted: boolean;
  by?: 'apparmor' | 'userns_clone' | 'max_user_namespaces';
}
export interface LaunchFacts {
  binary: ElectronBinary;
  env: Record<string, string | undefined>;
  platform: string;
  uid?: number;
  helper?: SandboxHelper;
  userns?: UserNamespaces;
}
export type LaunchPlan =
  | { action: 'launch'; bin: string; exitCode: 0; message: string }
  | { action: 'web-mode'; reasons: string[]; fixes: string[]; exitCode: number; message: string };
export declare function electronLaunchPlan(facts: LaunchFacts): LaunchPlan;
export declare function helperConfigured(helper: SandboxHelper | undefined): boolean;
export declare function sandboxFixes(
  helperPath: string,
  bin: string,
  by: UserNamespaces['by'],
): string[];
export declare function electronBinary(requireFrom: string): ElectronBinary;
export declare function readUserNamespaces(): UserNamespaces;
export declare function readSandboxHelper(bin: string): SandboxHelper;
export declare function readLaunchFacts(
  requireFrom: string,
  env?: Record<string, string | undefined>,
): LaunchFacts;
export declare function fetchOutcomeMessage(outcome: {
  ok: boolean;
  detail?: string;
  mirror?: string;
}): string;
