// defineModel is the identity at run time; its value is the typing, which
// `tsc --noEmit` checks here through the @ts-expect-error lines.
import { expect, it } from 'vitest';
import { defineModel, parseModel } from '../../../src/model/index.ts';

it('returns its input unchanged and types the file format', () => {
  const input = defineModel({
    tables: { account: { ownership: 'user', audit: { columns: ['revenue'] } } },
    roles: { reader: { privileges: { account: { read: 'organization' } } } },
  });
  expect(parseModel(input, 'rowscope.config.ts').tables[0].audit).toEqual(['revenue']);

  // @ts-expect-error 'global' is not a depth
  defineModel({ roles: { r: { privileges: { account: { read: 'global' } } } } });
  // @ts-expect-error unknown key
  defineModel({ tables: { account: { owner: 'user' } } });
});
