// What the last action did: a polite status line, or the refusal.
import type { ActionState } from '../lib/use-action.ts';
import { ErrorBox } from './ErrorBox.tsx';

export function ActionStatus({ action }: { action: ActionState }) {
  if (action.busy) return <p role="status">Working…</p>;
  if (action.error) return <ErrorBox error={action.error} />;
  if (action.done) return <p class="ok" role="status">Done: {action.done}</p>;
  return null;
}
