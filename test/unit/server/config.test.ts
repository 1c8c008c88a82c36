// src/server/config.ts: the one place the server reads its environment.
import { describe, expect, it } from 'vitest';
import { environmentOptions, resolveSettings } from '../../../src/server/config.ts';

const SECRET = 'rowscope-test-secret-0123456789abcdef';
const base = { databaseUrl: 'postgres://authenticator@db/app' };

describe('environmentOptions', () => {
  it('reads every variable the server knows, and nothing when none is set', () => {
    expect(environmentOptions({
      HOST: '0.0.0.0', PORT: '8080', ROWSCOPE_POOL_SIZE: '20', NODE_ENV: 'production', ROWSCOPE_JWT_SECRET: SECRET,
      ROWSCOPE_JWKS_URL: 'https://idp/jwks', ROWSCOPE_JWT_ISSUER: 'idp', ROWSCOPE_JWT_AUDIENCE: 'api', ROWSCOPE_JWT_REQUIRE_EXP: '0',
      ROWSCOPE_ADMIN_DATABASE_URL: 'postgres://admin@db/app', ROWSCOPE_AUTHENTICATOR_PASSWORD: 'pw', ROWSCOPE_GRAPHQL_INTROSPECTION: '1',
      ROWSCOPE_ROLE_SCOPE: 'session',
    })).toEqual({
      host: '0.0.0.0', port: 8080, maxConnections: 20, production: true, jwtSecret: SECRET, jwksUrl: 'https://idp/jwks',
      jwtIssuer: 'idp', jwtAudience: 'api', requireExp: false, adminDatabaseUrl: 'postgres://admin@db/app',
      authenticatorPassword: 'pw', introspection: true, roleScope: 'session',
    });
    const none = environmentOptions({});
    expect(Object.entries(none).filter(([, v]) => v !== undefined && v !== false)).toEqual([]);
  });

  it('names the variable of a malformed value', () => {
    expect(() => environmentOptions({ PORT: 'eighty' })).toThrow('PORT=eighty: expected a port number');
    expect(() => environmentOptions({ PORT: '70000' })).toThrow('PORT=70000: expected a port number');
    expect(() => environmentOptions({ ROWSCOPE_POOL_SIZE: '0' })).toThrow('ROWSCOPE_POOL_SIZE=0: expected a whole number from 1 to 1000');
    expect(() => environmentOptions({ ROWSCOPE_ROLE_SCOPE: 'connection' })).toThrow('ROWSCOPE_ROLE_SCOPE=connection: expected transaction or session');
  });
});

describe('resolveSettings', () => {
  it('explicit options win over the environment, the environment over the defaults', () => {
    const env = { ROWSCOPE_JWT_SECRET: SECRET, HOST: '0.0.0.0', PORT: '8080', ROWSCOPE_POOL_SIZE: '20', NODE_ENV: 'production' };
    expect(resolveSettings(base, env)).toMatchObject({ host: '0.0.0.0', port: 8080, maxConnections: 20, production: true });
    expect(resolveSettings({ ...base, host: '127.0.0.1', port: 0, maxConnections: 3, production: false }, env))
      .toMatchObject({ host: '127.0.0.1', port: 0, maxConnections: 3, production: false });
    expect(resolveSettings(base, { ROWSCOPE_JWT_SECRET: SECRET }))
      .toMatchObject({ host: 'localhost', port: 5678, maxConnections: 10, production: false, requireExp: true, roleScope: 'transaction' });
  });
});
