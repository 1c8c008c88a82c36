import { expect, it } from 'vitest';
import { BusinessUnitTree } from '../../../src/reference/index.ts';

it('answers descendant questions and refuses a forest or a cycle', () => {
  const tree = new BusinessUnitTree([{ id: 'r', parentId: null }, { id: 'a', parentId: 'r' }, { id: 'b', parentId: 'a' }]);
  expect(tree.isWithin('b', 'r')).toBe(true);
  expect(tree.isWithin('b', 'b')).toBe(true);
  expect(tree.isWithin('a', 'b')).toBe(false);
  expect(() => new BusinessUnitTree([{ id: 'r', parentId: null }, { id: 's', parentId: null }])).toThrow(/one root/);
  expect(() => new BusinessUnitTree([{ id: 'r', parentId: null }, { id: 'a', parentId: 'b' }, { id: 'b', parentId: 'a' }])).toThrow(/own ancestor/);
});
