// A failed query or refused action, with the server's own message: a 42501
// refusal names the user, the right, the table, the record and what is missing.
import { GqlError, isMissingField } from '../lib/graphql.ts';

export function ErrorBox({ error, what }: { error: unknown; what?: string }) {
  if (isMissingField(error)) {
    return (
      <p class="notice" role="status">
        {what ?? 'This view'} is not exposed by this server's GraphQL schema ({(error as Error).message}).
      </p>
    );
  }
  const code = error instanceof GqlError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <strong>{code === '42501' ? 'Refused' : code === '22023' ? 'Invalid argument' : 'Error'}:</strong>{' '}
      <span class="error-message">{message}</span>
      {code && <span class="sqlstate"> [SQLSTATE {code}]</span>}
    </div>
  );
}
