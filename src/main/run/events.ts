/**
 * Events the experiment runner emits. The names match the API contract's
 * EVENTS (src/shared/api.ts) so a binding can forward them unchanged.
 */
import type { ConsoleDataEvent, FinishedEvent, LogEvent, ProgressEvent } from '../../shared/run';
import type { Sample } from '../../shared/sample';

export interface RunnerEvents {
  'run:progress': ProgressEvent;
  'run:sample': Sample;
  'run:log': LogEvent;
  'run:finished': FinishedEvent;
  'console:data': ConsoleDataEvent;
}
