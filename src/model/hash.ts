// A fingerprint of the normalised model. Generated migrations carry it in
// their header and `generate` compares it to decide whether anything changed,
// so it must not depend on key order: keys are sorted at every level (array
// order is meaningful and already canonical after normalisation).
import { createHash } from 'node:crypto';
import type { Model } from './types.ts';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function modelHash(model: Model): string {
  return createHash('sha256').update(canonicalJson(model)).digest('hex');
}
