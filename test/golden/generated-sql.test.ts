// Golden files of stage 1 (docs/architecture.md "Two compile stages, and why"): the model-dependent SQL that `rowscope generate`
// writes, per fixture model, compared with committed files so that a review
// shows exactly what a compiler or model change does. Only the part after
// `-- the model` is kept, so edits of the core sql/*.sql do not churn them.
// Regenerate deliberately with `npx vitest run --project golden -u`; CI (CI=true)
// never writes them.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrationSql } from '../../src/emit/generate.ts';
import { loadModel, type Model } from '../../src/model/index.ts';

const MARK = '\n-- the model\n';
const fixture = (name: string) => loadModel(fileURLToPath(new URL(`../fixtures/models/${name}.yaml`, import.meta.url)));

function modelPart(up: string): string {
  const at = up.indexOf(MARK);
  if (at < 0) throw new Error('the first migration has no `-- the model` line');
  return up.slice(at + MARK.length);
}

describe.each(['basic', 'foundation'])('first migration of %s.yaml', (name) => {
  it('model part', async () => {
    const { up } = migrationSql(await fixture(name), null);
    await expect(modelPart(up)).toMatchFileSnapshot(`./__snapshots__/${name}.model.sql`);
  });
  it('is deterministic', async () => {
    const model = await fixture(name);
    expect(migrationSql(model, null)).toEqual(migrationSql(structuredClone(model) as Model, null));
  });
});

describe('a migration between two model versions (basic.yaml -> foundation.yaml)', () => {
  it('up: just the difference (src/compile/diff.ts)', async () => {
    const { up } = migrationSql(await fixture('foundation'), await fixture('basic'));
    expect(up).not.toContain(MARK.trim()); // no core schema in a later migration
    await expect(up).toMatchFileSnapshot('./__snapshots__/basic-to-foundation.up.sql');
  });
  it('down: the reverse', async () => {
    const { down } = migrationSql(await fixture('foundation'), await fixture('basic'));
    await expect(down).toMatchFileSnapshot('./__snapshots__/basic-to-foundation.down.sql');
  });
});
