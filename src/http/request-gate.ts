/** A request as the gate counts it (its RequestInfo, src/http/request-info.ts). */
export interface GateTicket {
  /** counted in the gate (a request routed twice, or answered early, must not be counted wrong) */
  inGate?: boolean;
  /** its answer is still streaming (a CSV read batch by batch): it leaves when the stream ends */
  streaming?: boolean;
}

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
  private queue: Promise<unknown> = Promise.resolve();

  /** null when the request may go on at once, else a promise to wait for */
  enter(request: GateTicket): Promise<void> | null {
    if (this.closed) return this.closed.then(() => this.enter(request) ?? undefined);
    if (!request.inGate) {
      request.inGate = true;
      this.inFlight++;
    }
    return null;
  }

  leave(request: GateTicket): void {
    if (request.streaming || !request.inGate) return;
    request.inGate = false;
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) this.drained();
  }

  /** `body` streams after the handler returned: the request stays inside until it has been read or cancelled */
  holdWhileStreaming(request: GateTicket, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    if (!request.inGate) return body;
    request.streaming = true;
    const release = () => {
      if (!request.streaming) return;
      request.streaming = false;
      this.leave(request);
    };
    const reader = body.getReader();
    // Bun's direct stream: the chunks are handed on as they come, with no queue of its own
    return new ReadableStream({
      type: "direct",
      async pull(controller: { write(chunk: Uint8Array): unknown; close(): void }) {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            controller.write(value);
          }
          controller.close();
        } finally {
          release();
        }
      },
      cancel(reason: unknown) {
        release();
        return reader.cancel(reason);
      },
    } as unknown as ConstructorParameters<typeof ReadableStream<Uint8Array>>[0]);
  }

  /**
   * Runs `work` alone: `request` (the caller, already inside) stops counting,
   * so exclusive calls queue one after another. Waits at most `drainMs` for the
   * others (a stuck stream must not block a restore for ever).
   */
  exclusive<T>(request: GateTicket, work: () => Promise<T>, drainMs = 10_000): Promise<T> {
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
