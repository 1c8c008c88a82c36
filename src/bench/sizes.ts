// The synthetic organization's dimensions (docs/performance.md). Scale 1: 100 BUs four
// levels deep, 2,000 users, 200 owner teams, 1,000,000 accounts, 2,000,000
// contacts, 100,000 shares. The scale multiplies the row counts; the BU tree
// stays fixed and small counts have floors so that every persona still exists.

export interface Sizes {
  scale: number;
  businessUnits: number;
  users: number;
  teams: number;
  accounts: number;
  contacts: number;
  /** direct account shares (their cascaded contact shares come on top) */
  shares: number;
  /** of which with the user-depth persona */
  personaShares: number;
}

export const BUSINESS_UNITS = 100;
/** Users before the generic ones: the six personas and the manager's 50 reports. */
export const SPECIAL_USERS = 56;

export function sizesFor(scale: number): Sizes {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, not ${scale}`);
  const n = (base: number, floor: number) => Math.max(floor, Math.round(base * scale));
  const shares = n(100_000, 100);
  return {
    scale,
    businessUnits: BUSINESS_UNITS,
    users: n(2_000, SPECIAL_USERS + BUSINESS_UNITS),
    teams: n(200, 10),
    accounts: n(1_000_000, 1_000),
    contacts: n(2_000_000, 2_000),
    shares,
    personaShares: Math.min(500, Math.floor(shares / 4)),
  };
}

/**
 * A multiplier coprime with `n`, at least `start`: `i * m mod n` then visits
 * every residue once, a deterministic shuffle without repeats.
 */
export function coprime(n: number, start: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let m = start;
  while (gcd(m, n) !== 1) m++;
  return m;
}
