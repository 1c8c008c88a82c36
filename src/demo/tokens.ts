// The demo users' tokens: printed by `rowscope demo`, written to
// .rowscope/tokens.json ({"users":[{"db_role","user_id","title","token"}]}) for
// scripts and the admin console's user picker, and the header Ruru opens with
// (src/server/ruru.ts): `/?as=<db_role>`, else DEFAULT_RURU_USER.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DemoToken {
  db_role: string;
  user_id: string;
  title: string;
  token: string;
}

/** Ruru opens as the System Administrator of the demo: every query answers something. */
export const DEFAULT_RURU_USER = 'irene';

export function writeTokens(file: string, tokens: DemoToken[]): void {
  mkdirSync(dirname(file), { recursive: true });
  // the tokens sign in as these users: readable by the current OS user only
  writeFileSync(file, `${JSON.stringify({ users: tokens }, null, 2)}\n`, { mode: 0o600 });
}

/** The Authorization header Ruru opens with for `?as=<db_role>` (unknown role: none). */
export function ruruAuthorization(tokens: DemoToken[]): (as: string | undefined) => Promise<string | undefined> {
  return async (as) => {
    const wanted = as ?? (tokens.some((t) => t.db_role === DEFAULT_RURU_USER) ? DEFAULT_RURU_USER : tokens[0]?.db_role);
    const found = tokens.find((t) => t.db_role === wanted);
    return found ? `Bearer ${found.token}` : undefined;
  };
}
