// The console's shell: sign-in, then a header (who is signed in), the page
// list and the current page. The token is checked by asking the server who it
// names (rowscopeWhoami), so a bad or disabled user's token never gets past sign-in.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { SessionContext, type Person, type Session } from '../lib/context.ts';
import { graphqlClient } from '../lib/graphql.ts';
import { useRoute } from '../lib/route.ts';
import { savedToken, saveToken } from '../lib/session.ts';
import { AuditLog } from './AuditLog.tsx';
import { BusinessUnits } from './BusinessUnits.tsx';
import { CheckAccess } from './CheckAccess.tsx';
import { Nav } from './Nav.tsx';
import { RecordAccess } from './RecordAccess.tsx';
import { Records } from './Records.tsx';
import { Roles } from './Roles.tsx';
import { fetchDemoUsers, SignIn } from './SignIn.tsx';
import { Teams } from './Teams.tsx';
import { Users } from './Users.tsx';

/**
 * Users the console can name: the system_user rows the signed-in user may
 * read, plus, in the demo, its users (already public to this browser on the
 * sign-in page). Naming someone grants nothing: every action is still checked
 * by the database.
 */
async function knownPeople(gql: Session['gql']): Promise<Person[]> {
  const [visible, demo] = await Promise.all([
    gql<{ allSystemUsers: { nodes: { id: string; dbRole: string; isDisabled: boolean }[] } }>('{ allSystemUsers { nodes { id dbRole isDisabled } } }')
      .then((d) => d.allSystemUsers.nodes, () => []),
    fetchDemoUsers().catch(() => []),
  ]);
  const people = new Map<string, Person>();
  for (const u of visible) people.set(u.id, { id: u.id, label: u.dbRole, detail: u.isDisabled ? 'disabled' : undefined });
  for (const u of demo) if (!people.has(u.id)) people.set(u.id, { id: u.id, label: u.role, detail: `${u.name}, ${u.title}` });
  return [...people.values()].sort((a, b) => a.label.localeCompare(b.label));
}

export function App() {
  const [token, setToken] = useState<string | null>(savedToken);
  const [me, setMe] = useState<string>();
  const [people, setPeople] = useState<Person[]>([]);
  const [signInError, setSignInError] = useState<unknown>();
  const gql = useMemo(() => graphqlClient(token ?? ''), [token]);
  const route = useRoute();

  useEffect(() => {
    if (!token) return;
    let live = true;
    gql<{ rowscopeWhoami: string | null }>('{ rowscopeWhoami }').then(
      async (data) => {
        if (!live) return;
        setMe(data.rowscopeWhoami ?? undefined);
        setSignInError(undefined);
        const found = await knownPeople(gql);
        if (live) setPeople(found);
      },
      (error: unknown) => {
        if (!live) return;
        setSignInError(error);
        signOut();
      },
    );
    return () => {
      live = false;
    };
  }, [gql]);

  function signIn(t: string) {
    saveToken(t);
    setToken(t);
    location.hash = '#/records';
  }
  function signOut() {
    saveToken(null);
    setToken(null);
    setMe(undefined);
    setPeople([]);
  }

  if (!token) return <SignIn onSignIn={signIn} error={signInError} />;
  const session: Session = { gql, me, people };
  const myName = people.find((p) => p.id === me)?.label ?? me ?? '…';
  return (
    <SessionContext.Provider value={session}>
      {/* Not a hash link: the hash is the route here. */}
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header>
        <span class="brand">rowscope admin</span>
        <span class="whoami">Signed in as <strong data-testid="whoami">{myName}</strong></span>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <Nav current={route.page} />
      <main id="main" tabIndex={-1}>
        {me ? <Page page={route.page} params={route.params} /> : <p role="status">Signing in…</p>}
      </main>
    </SessionContext.Provider>
  );
}

function Page({ page, params }: { page: string; params: URLSearchParams }) {
  switch (page) {
    case 'access': return <RecordAccess table={params.get('table') ?? ''} id={params.get('id') ?? ''} />;
    case 'check': return <CheckAccess initial={{ user: params.get('user') ?? '', table: params.get('table') ?? '', id: params.get('id') ?? '' }} />;
    case 'business-units': return <BusinessUnits />;
    case 'users': return <Users />;
    case 'teams': return <Teams />;
    case 'roles': return <Roles />;
    case 'audit': return <AuditLog />;
    default: return <Records table={params.get('table') ?? ''} />;
  }
}
