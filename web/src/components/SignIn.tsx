// Sign in with a token (any JWT the server accepts); the demo also lists its
// users, each with a ready token (/admin/demo-users, served by `rowscope demo` only).
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from './ErrorBox.tsx';

export interface DemoUser {
  role: string;
  name: string;
  title: string;
  businessUnit: string;
  roles: string[];
  id: string;
  token: string;
}

export async function fetchDemoUsers(): Promise<DemoUser[]> {
  const res = await fetch('/admin/demo-users', { headers: { accept: 'application/json' } });
  if (!res.ok) return [];
  return ((await res.json()) as { users?: DemoUser[] }).users ?? [];
}

export function SignIn({ onSignIn, error }: { onSignIn: (token: string) => void; error?: unknown }) {
  const [token, setToken] = useState('');
  const [demo, setDemo] = useState<DemoUser[]>([]);
  useEffect(() => {
    fetchDemoUsers().then(setDemo, () => setDemo([]));
  }, []);
  return (
    <main class="signin" id="main">
      <h1>rowscope admin</h1>
      {error !== undefined && <ErrorBox error={error} />}
      <form onSubmit={(e) => { e.preventDefault(); if (token.trim()) onSignIn(token.trim()); }}>
        <label>
          Token (a JWT whose <code>sub</code> is your rowscope user id)
          <textarea name="token" rows={4} value={token} required spellcheck={false}
            onInput={(e) => setToken((e.currentTarget as HTMLTextAreaElement).value.replace(/^Bearer\s+/i, ''))} />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {demo.length > 0 && (
        <section aria-labelledby="demo-users">
          <h2 id="demo-users">Demo users</h2>
          <p>Sign in as one of the Contoso demo's users; the console then shows and does exactly what that user may.</p>
          <ul class="demo-users">
            {demo.map((u) => (
              <li key={u.id}>
                <button type="button" data-user={u.role} onClick={() => onSignIn(u.token)}>
                  <strong>{u.role}</strong> <span>{u.name}, {u.title}</span>
                  <small>{u.businessUnit} · {u.roles.join(', ') || 'no role'}</small>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
