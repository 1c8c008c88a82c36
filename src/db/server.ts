// What every way of providing a PostgreSQL server hands back.
export interface StartedServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** Stops the server (and removes throwaway data); safe to call twice. */
  stop(): Promise<void>;
}

/** A line sink that keeps the last few lines, so a failed start can say why. */
export function tail(log: ((line: string) => void) | undefined, keep = 30) {
  const lines: string[] = [];
  return {
    write(chunk: unknown): void {
      const text = chunk instanceof Error ? chunk.message : String(chunk);
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > keep) lines.shift();
        log?.(line);
      }
    },
    /** The lines that name a cause (FATAL, ERROR, "could not ..."), else everything kept. */
    summary(): string {
      const bad = lines.filter((l) => /FATAL|ERROR|PANIC|could not|error/.test(l));
      return (bad.length ? bad : lines).join('\n');
    },
  };
}

/** Wraps `stop` so concurrent and repeated calls share one attempt. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= stop());
}
