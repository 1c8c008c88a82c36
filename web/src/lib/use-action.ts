// One action (a mutation) as the signed-in user: remembers what happened last
// so the page can say it — the database's refusal word for word.
import { useContext, useState } from 'preact/hooks';
import { SessionContext } from './context.ts';
import type { Fetcher } from './graphql.ts';

export interface ActionState {
  busy: boolean;
  done?: string;
  error?: unknown;
  run: (what: string, action: (gql: Fetcher) => Promise<unknown>, then?: () => void) => Promise<void>;
}

export function useAction(): ActionState {
  const { gql } = useContext(SessionContext);
  const [state, setState] = useState<{ busy: boolean; done?: string; error?: unknown }>({ busy: false });
  const run: ActionState['run'] = async (what, action, then) => {
    setState({ busy: true });
    try {
      await action(gql);
      setState({ busy: false, done: what });
      then?.();
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return { ...state, run };
}
