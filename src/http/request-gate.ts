/**
 * Lets one piece of work (a snapshot restore) run while no request is in
 * flight: it closes the gate, waits for the requests already inside to
 * finish (on the old state), runs, and opens the gate again; requests that
 * arrived meanwhile wait at the gate and then see the new state. A request
 * enters in `onRequest` and leaves in `onAfterResponse`.
 */
export class RequestGate {
  private inFlight = 0;
  private closed: Promise<void> | null = null;
  private drained: (() => void) | null = null;
  /** the requests counted in `inFlight` (a request routed twice, or answered early, must not be counted wrong) */
  private inside = new WeakSet<Request>();
  private queue: Promise<unknown> = Promise.resolve();

  /** null when the request may go on at once, else a promise to wait for */
  enter(request: Request): Promise<void> | null {
    if (this.closed) return this.closed.then(() => this.enter(request) ?? undefined);
    if (!this.inside.has(request)) {
      this.inside.add(request);
      this.inFlight++;
    }
    return null;
  }

  leave(request: Request): void {
    if (!this.inside.delete(request)) return;
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) this.drained();
  }

  /**
   * Runs `work` alone: `request` (the caller, already inside) stops counting,
   * so exclusive calls queue one after another. Waits at most `drainMs` for the
   * others (a stuck stream must not block a restore for ever).
   */
  exclusive<T>(request: Request, work: () => Promise<T>, drainMs = 10_000): Promise<T> {
    this.leave(request);
    const run = this.queue.then(async () => {
      let open!: () => void;
      this.closed = new Promise<void>((resolve) => (open = resolve));
      try {
        if (this.inFlight > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, drainMs);
            this.drained = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        this.drained = null;
        return await work();
      } finally {
        this.drained = null;
        this.closed = null;
        open();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
