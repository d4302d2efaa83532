/** A small typed event emitter: listeners get exactly the payload type of their event. */
export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribes; returns a function that unsubscribes. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  /** Calls every listener; a throwing listener is reported on stderr and never stops the others. */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as Listener<Events[E]>)(payload);
      } catch (e) {
        process.stderr.write(`benchvisor: listener for ${String(event)} failed: ${String(e)}\n`);
      }
    }
  }
}
