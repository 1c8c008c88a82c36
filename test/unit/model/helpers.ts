// Shared helpers for the model tests: run a raw model through parseModel and
// look at the problems it reports.
import { expect } from 'vitest';
import { ModelError, parseModel, type ModelFileProblem } from '../../../src/model/index.ts';

export const FILE = 'test-model.yaml';

/** The problems parseModel reports for `raw` (fails the test if it accepts it). */
export function problemsOf(raw: unknown): ModelFileProblem[] {
  try {
    parseModel(raw, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return (error as ModelError).problems;
  }
  expect.fail('expected the model to be rejected');
}

/** Asserts exactly one problem at `path` and that its message contains every part. */
export function expectProblem(raw: unknown, path: string, ...parts: string[]): void {
  const problems = problemsOf(raw);
  const here = problems.filter((p) => p.path === path);
  expect(here, `problems were:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`).toHaveLength(1);
  expect(here[0].file).toBe(FILE);
  for (const part of parts) expect(here[0].message).toContain(part);
}

/** A small valid model to start each rule test from. */
export function baseModel(): Record<string, any> {
  return {
    tables: {
      account: { securedColumns: ['credit_limit'] },
      contact: { relationships: [{ column: 'account_id', references: 'account' }] },
      product: { ownership: 'organization' },
    },
    roles: {
      reader: { privileges: { account: { read: 'organization' }, product: { read: 'organization' } } },
    },
    fieldSecurityProfiles: { credit: { 'account.credit_limit': ['read'] } },
  };
}
