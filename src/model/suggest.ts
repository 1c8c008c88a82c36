// Wording shared by all problems: how to quote a value, list the valid ones,
// and guess which one a typo meant.

/** Render a value from the file the way the user wrote it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

export function list(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate when it is plausibly a typo, else undefined. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(value.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(value, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** "did you mean 'x'" when there is a near miss, else the full list. */
export function suggestion(value: unknown, candidates: readonly string[]): string {
  const guess = typeof value === 'string' ? closest(value, candidates) : undefined;
  if (guess) return `did you mean '${guess}'?`;
  return candidates.length ? `use one of ${list(candidates)}` : '';
}

export function oneOfMessage(value: unknown, values: readonly string[], what: string): string {
  return `${show(value)} is not a valid ${what}; ${suggestion(value, values)}`;
}

/** "'x' is not a table of the model; did you mean 'y'?" or the generic fix. */
export function unknownName(value: string, what: string, candidates: readonly string[], fix: string): string {
  const guess = closest(value, candidates);
  return `'${value}' is not ${what}; ${guess ? `did you mean '${guess}'?` : fix}`;
}
