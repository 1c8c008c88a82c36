// Runs one GraphQL query as the signed-in user and re-runs it when its inputs
// change or when reload() is called (after an action).
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { SessionContext } from './context.ts';

export interface QueryState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** `version`: bump it to run the query again (after an action elsewhere on the page). */
export function useQuery<T = any>(query: string | null, variables?: Record<string, unknown>, version = 0): QueryState<T> {
  const { gql } = useContext(SessionContext);
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: !!query });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables ?? {});
  useEffect(() => {
    if (!query) return setState({ loading: false });
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    gql<T>(query, variables).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [gql, query, key, tick, version]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
