// The page list: plain links (hash routes), the current one marked for screen readers.
import { href } from '../lib/route.ts';

export const PAGES: readonly (readonly [string, string])[] = [
  ['records', 'Records & access'],
  ['check', 'Check access'],
  ['business-units', 'Business units'],
  ['users', 'Users'],
  ['teams', 'Teams'],
  ['roles', 'Roles'],
  ['audit', 'Audit log'],
];

export function Nav({ current }: { current: string }) {
  return (
    <nav aria-label="Pages">
      <ul>
        {PAGES.map(([page, title]) => (
          <li key={page}>
            <a href={href(page)} aria-current={page === current || (current === 'access' && page === 'records') ? 'page' : undefined}>{title}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
