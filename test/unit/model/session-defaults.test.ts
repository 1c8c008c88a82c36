// The model option sessionDefaults (role defaults of every user's login,
// sql/076_session_defaults.sql): defaults, overrides, and what is refused.
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../src/model/index.ts';
import { baseModel, expectProblem, FILE } from './helpers.ts';

describe('sessionDefaults', () => {
  it('defaults to a 5s lock timeout, a 60s idle-in-transaction timeout and a 5min statement timeout', () => {
    expect(parseModel(baseModel(), FILE).sessionDefaults).toEqual({
      lockTimeout: '5s', idleInTransactionSessionTimeout: '60s', statementTimeout: '5min',
    });
  });

  it('takes each setting on its own, and 0 for none', () => {
    const m = baseModel();
    m.sessionDefaults = { lockTimeout: '250ms', statementTimeout: '0' };
    expect(parseModel(m, FILE).sessionDefaults).toEqual({
      lockTimeout: '250ms', idleInTransactionSessionTimeout: '60s', statementTimeout: '0',
    });
  });

  it('rejects a value that is no duration, naming the setting and the fix', () => {
    const m = baseModel();
    m.sessionDefaults = { lockTimeout: "5s'; alter role x superuser; --" };
    expectProblem(m, 'sessionDefaults.lockTimeout', 'is not a duration', 'lock timeout', "e.g. '5s'");
  });

  it('rejects a number without a unit given as a number, and an unknown setting', () => {
    const m = baseModel();
    m.sessionDefaults = { idleInTransactionSessionTimeout: 60 };
    expectProblem(m, 'sessionDefaults.idleInTransactionSessionTimeout', 'expected a string, got number 60');
    const n = baseModel();
    n.sessionDefaults = { workMem: '4MB' };
    expectProblem(n, 'sessionDefaults.workMem', "unknown key 'workMem'", 'lockTimeout');
  });
});
