// Golden files of the migrations single model changes write (src/compile/diff.ts):
// only what changed, small enough to review in a pull request. A change that
// rebuilds no table (a privilege, a role, a relationship, an audit setting) stays under 3 KB both
// ways; one that does rebuilds only that table. Regenerate deliberately with
// `npx vitest run --project golden -u`.
import { describe, expect, it } from 'vitest';
import { migrationSql } from '../../src/emit/generate.ts';
import { CHANGES, models } from './model-changes.ts';

const OTHER_TABLE_DDL = /create policy .* on "app"\."(\w+)"/g;

describe.each(CHANGES)('the migration of one change: $name', (change) => {
  it('is the snapshot, both ways', async () => {
    const { before, after } = models(change);
    const { up, down } = migrationSql(after, before);
    await expect(`-- Up (${Buffer.byteLength(up)} bytes)\n${up}\n\n-- Down (${Buffer.byteLength(down)} bytes)\n${down}\n`)
      .toMatchFileSnapshot(`./__snapshots__/changes/${change.name}.sql`);
  });

  it(change.touchesTables ? 'rebuilds only the table it changes' : 'rebuilds no table (at most an audit trigger) and stays under 3 KB', () => {
    const { before, after } = models(change);
    const { up, down } = migrationSql(after, before);
    const rebuilt = new Set([...up.matchAll(OTHER_TABLE_DDL)].map((m) => m[1]));
    if (change.touchesTables) {
      expect(rebuilt.size).toBe(1);
      expect(Buffer.byteLength(up)).toBeLessThan(12_000);
    } else {
      expect(rebuilt.size).toBe(0);
      expect(up).not.toMatch(/_release_table|_prepare_table/);
      expect(Buffer.byteLength(up)).toBeLessThan(3_000);
      expect(Buffer.byteLength(down)).toBeLessThan(3_000);
    }
  });
});

it('an unchanged model writes nothing to run', () => {
  const { before } = models(CHANGES[0]!);
  expect(migrationSql(before, before)).toEqual({ up: '', down: '' });
});
