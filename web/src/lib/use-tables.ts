// The record tables, discovered once per session (see tables.ts).
import { useContext, useEffect, useState } from 'preact/hooks';
import { SessionContext } from './context.ts';
import { discoverTables, type RecordTable } from './tables.ts';

const cache = new WeakMap<object, Promise<RecordTable[]>>();

export function useTables(): { tables: RecordTable[]; error?: unknown } {
  const { gql } = useContext(SessionContext);
  const [state, setState] = useState<{ tables: RecordTable[]; error?: unknown }>({ tables: [] });
  useEffect(() => {
    let pending = cache.get(gql);
    if (!pending) cache.set(gql, (pending = discoverTables(gql)));
    let live = true;
    pending.then((tables) => live && setState({ tables }), (error: unknown) => live && setState({ tables: [], error }));
    return () => {
      live = false;
    };
  }, [gql]);
  return state;
}
