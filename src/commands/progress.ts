export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A progress bar redrawn in place on a terminal; elsewhere (a pipe, a log, CI)
 * plain lines, at most one per tenth of the work.
 */
export function progress(label: string, stream: Stream = process.stderr): Progress {
  let lastTenth = -1;
  let drawn = false;
  const width = 30;
  return {
    update(done, total) {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      if (stream.isTTY) {
        const filled = Math.round(fraction * width);
        stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${Math.round(fraction * 100)}%`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${label}: ${done}/${total} (${Math.round(fraction * 100)}%)\n`);
    },
    finish() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
