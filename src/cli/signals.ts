// Long-running commands (demo, serve) run until Ctrl-C or SIGTERM, then shut
// down cleanly (the HTTP server, then PostgreSQL).

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
