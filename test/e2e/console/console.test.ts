// The admin console (web/, served at /admin by src/server/console.ts) in a real
// Chromium against the Contoso demo: every list and every action goes through
// GraphQL as the signed-in user, so what the browser shows is what the
// database lets that user see and do.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleWorld, DESKTOP, openConsole, PHONE, recordCount, screenshot, signInAs, signOut, type ConsoleWorld } from './fixture.ts';

let world: ConsoleWorld;
const pages: Page[] = [];

beforeAll(async () => {
  world = await consoleWorld();
}, 180_000);
afterAll(async () => {
  for (const p of pages) await p.context().close().catch(() => {});
  await world?.close();
});

async function tab(viewport = DESKTOP): Promise<Page> {
  const page = await openConsole(world, viewport);
  pages.push(page);
  return page;
}

/** An account by owner, first by name; through SQL as the superuser (the test's own knowledge, not the console's). */
async function accountOf(owner: string): Promise<{ id: string; name: string }> {
  const [row] = await world.sql<{ id: string; name: string }>(
    'select id, name from app.account where owner_id = $1 order by name limit 1', [world.id(owner)]);
  return row!;
}

async function openAccess(page: Page, id: string): Promise<void> {
  await page.goto(`${world.url}/admin/#/access?table=account&id=${id}`);
  await page.getByRole('heading', { level: 1, name: /^Access to account/ }).waitFor();
}

describe('signing in', () => {
  it('three demo users see different account lists, as the database answers each', async () => {
    const page = await tab();
    const seen: Record<string, number> = {};
    for (const role of ['bob', 'dave', 'judy']) {
      await signInAs(page, role);
      await page.getByTestId('record-count').waitFor();
      seen[role] = await recordCount(page);
      const rows = await page.getByTestId('records').locator('tbody tr').count();
      expect(rows).toBe(Math.min(seen[role]!, 100));
      if (role === 'bob') await screenshot(page, 'records');
      await signOut(page);
    }
    // The demo's own numbers (test/integration/cli/demo.test.ts): US East's two sellers, dave alone, judy without a role.
    expect(seen).toEqual({ bob: 128, dave: 64, judy: 0 });
  });

  it('a pasted token works too, and a bad one is refused with the server\'s message', async () => {
    const page = await tab();
    await page.getByLabel(/^Token/).fill('not.a.jwt');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/token|Authorization/i);
    await page.getByLabel(/^Token/).fill(world.users.find((u) => u.role === 'carol')!.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('whoami').filter({ hasText: 'carol' }).waitFor();
    await page.getByTestId('record-count').waitFor();
    expect(await recordCount(page)).toBe(128);
  });

  it('is keyboard-navigable: a demo user is picked and a page opened with the keyboard alone', async () => {
    const page = await tab();
    await page.getByRole('heading', { name: 'Demo users' }).waitFor();
    // Tab from the top: the token field, its button, then the demo users in order (irene first).
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-user'))).toBe('irene');
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').filter({ hasText: 'irene' }).waitFor();
    // The first stop is the skip link; it moves the focus to the page's content and keeps the route.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => [document.activeElement?.id, location.hash])).toEqual(['main', '#/records']);
    await page.getByRole('link', { name: 'Check access' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Check access' }).waitFor();
    expect(await page.getByRole('link', { name: 'Check access' }).getAttribute('aria-current')).toBe('page');
  });
});

describe('acting as the signed-in user', () => {
  it('a refused action shows its 42501 message and changes nothing', async () => {
    const account = await accountOf('bob');
    const page = await tab();
    await signInAs(page, 'bob');
    await openAccess(page, account.id);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: account.name }).waitFor();
    // bob (sales_team_member) owns the account but holds no share privilege.
    await page.getByLabel('With (user or team id)').fill('dave');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const message = await alert.textContent();
    expect(message).toContain('Refused');
    expect(message).toContain(`rowscope: bob lacks share on account ${account.id}`);
    expect(message).toContain('SQLSTATE 42501');
    await screenshot(page, 'refused');
    const shares = await world.sql('select 1 from rowscope.record_share where record_id = $1', [account.id]);
    expect(shares).toEqual([]);
  });

  it('a record shared by one user appears for another', async () => {
    const account = await accountOf('bob');
    const dave = await tab();
    await signInAs(dave, 'dave');
    await dave.getByTestId('record-count').waitFor();
    expect(await recordCount(dave)).toBe(64);
    await openAccess(dave, account.id);
    await dave.getByText('You cannot read this record').waitFor();

    // alice (sales_manager: share at parent_child depth over Sales) shares bob's account with dave.
    const alice = await tab();
    await signInAs(alice, 'alice');
    await openAccess(alice, account.id);
    await alice.getByTestId('owner').filter({ hasText: 'bob' }).waitFor();
    await alice.getByLabel('With (user or team id)').fill('dave');
    await alice.getByRole('checkbox', { name: 'write' }).check();
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    await alice.getByText('Done: shared with dave (read, write)').waitFor();
    await screenshot(alice, 'record-access');

    await dave.goto(`${world.url}/admin/#/records?table=account`);
    await dave.getByTestId('record-count').filter({ hasText: '65' }).waitFor();
    await expect(dave.getByTestId('records').getByRole('link', { name: account.name }).count()).resolves.toBe(1);
    await openAccess(dave, account.id);
    await dave.getByTestId('my-rights').filter({ hasText: 'read' }).waitFor();
    expect(await dave.getByTestId('my-rights').textContent()).toBe('read, write');
  });

  it('check access explains a denial, with the fix', async () => {
    // The seed shares one of dave's accounts with judy, who holds no role: the share does not count.
    const [shared] = await world.sql<{ record_id: string }>(
      "select record_id from rowscope.record_share where table_name = 'account' and principal_id = $1", [world.id('judy')]);
    const page = await tab();
    await signInAs(page, 'irene');
    await page.goto(`${world.url}/admin/#/check`);
    await page.getByLabel('User').fill('judy');
    await page.getByLabel('Record id').fill(shared!.record_id);
    await page.getByRole('button', { name: 'Check' }).click();
    const explain = page.getByTestId('explain');
    await explain.waitFor();
    const read = explain.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'read', exact: true }) });
    const text = await read.textContent();
    expect(text).toContain('no');
    expect(text).toContain('no role grants read on account');
    expect(text).toContain('a share counts only while judy holds read on account');
    // irene (System Administrator) may read role definitions: the fix names a role that covers judy
    await expect(read.locator('li.fix').textContent()).resolves
      .toMatch(/^fix: give judy the role employee_base \(read on account at business_unit depth\) \(rowscope\.assign_role\), with which the existing share counts/);
    await screenshot(page, 'check-access');

    // Checking someone else needs read on their user record: bob may not look at judy.
    const bob = await tab();
    await signInAs(bob, 'bob');
    await bob.goto(`${world.url}/admin/#/check`);
    await bob.getByLabel('User').fill('judy');
    await bob.getByLabel('Record id').fill(shared!.record_id);
    await bob.getByRole('button', { name: 'Check' }).click();
    await expect(bob.getByRole('alert').textContent()).resolves.toMatch(/SQLSTATE (42501|22023)/);
  });
});

describe('security data pages', () => {
  it('irene (system administrator) sees every user with their unit, roles and teams; bob sees himself', async () => {
    const page = await tab();
    await signInAs(page, 'irene');
    await page.goto(`${world.url}/admin/#/users`);
    const users = page.getByTestId('users');
    await users.waitFor();
    await expect(users.locator('tbody tr').count()).resolves.toBe(15);
    const bob = users.getByRole('row').filter({ has: page.getByRole('button', { name: 'bob', exact: true }) });
    // the unit's name comes with the business units' own query, which may answer
    // after the users' (a dash until then): wait for both, not one
    await bob.filter({ hasText: 'sales_team_member' }).filter({ hasText: 'Sales US East' }).waitFor();
    expect(await bob.textContent()).toContain('Sales US East');
    await screenshot(page, 'users');

    const own = await tab();
    await signInAs(own, 'bob');
    await own.goto(`${world.url}/admin/#/users`);
    await own.getByTestId('users').waitFor();
    const visible = await own.getByTestId('users').locator('tbody tr td:first-child').allTextContents();
    expect(visible).toContain('bob');
    expect(visible).not.toContain('irene');
  });

  it('the business-unit tree nests as the demo built it', async () => {
    const page = await tab();
    await signInAs(page, 'henry');
    await page.goto(`${world.url}/admin/#/business-units`);
    const tree = page.getByTestId('bu-tree');
    await tree.waitFor();
    // Sales US East sits under Sales North America, under Sales, under Contoso.
    const path = await tree.locator('li', { hasText: 'Sales US East' }).evaluateAll((items) => items.map((li) => li.firstElementChild?.textContent));
    expect(path).toEqual(['Contoso', 'Sales', 'Sales North America', 'Sales US East']);
  });

  it('a role is a privilege × depth grid per table, flattened over extends', async () => {
    const page = await tab();
    await signInAs(page, 'irene');
    await page.goto(`${world.url}/admin/#/roles`);
    await page.getByTestId('role-grid').waitFor();
    await page.getByRole('combobox', { name: 'Role' }).selectOption('sales_team_member');
    const account = page.getByTestId('role-grid').getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'account', exact: true }) });
    await account.filter({ hasText: 'Business Unit' }).waitFor();
    // create read write delete append append_to assign share (read from employee_base)
    expect(await account.locator('td').allTextContents()).toEqual(['User', 'Business Unit', 'User', 'User', 'User', 'Business Unit', '—', '—']);
    await screenshot(page, 'roles');
  });

  it('the audit log shows the history and verify_audit\'s verdict to grace, and refuses bob', async () => {
    const page = await tab();
    await signInAs(page, 'grace');
    await page.goto(`${world.url}/admin/#/audit`);
    await page.getByTestId('audit-verdict').waitFor();
    expect(await page.getByTestId('audit-verdict').textContent()).toContain('intact');
    await page.getByTestId('audit').waitFor();
    await page.getByTestId('audit').getByRole('row').filter({ hasText: 'hiro' }).filter({ hasText: 'update' }).first().waitFor();
    await screenshot(page, 'audit');

    const bob = await tab();
    await signInAs(bob, 'bob');
    await bob.goto(`${world.url}/admin/#/audit`);
    await bob.getByRole('alert').first().waitFor();
    expect(await bob.getByRole('alert').first().textContent()).toContain('bob lacks view_audit_history');
  });
});

describe('administering users and units', () => {
  it('henry (environment admin) may hand out a role he covers, not one that would escalate, and remove it again', async () => {
    const page = await tab();
    await signInAs(page, 'henry');
    await page.goto(`${world.url}/admin/#/users`);
    await page.getByTestId('users').getByRole('button', { name: 'judy', exact: true }).click();
    const panel = page.getByRole('region', { name: 'judy' });
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('judy');
    const role = panel.getByRole('combobox', { name: 'Role' });
    await role.selectOption('sales_team_member');
    await panel.getByRole('button', { name: 'Assign role' }).click();
    await panel.getByRole('alert').waitFor();
    const refusal = await panel.getByRole('alert').textContent();
    expect(refusal).toContain('henry may not assign role sales_team_member');
    expect(refusal).toContain('SQLSTATE 42501');
    expect(await world.sql('select 1 from rowscope.role_assignment where principal_id = $1', [world.id('judy')])).toEqual([]);

    await role.selectOption('environment_admin');
    await panel.getByRole('button', { name: 'Assign role' }).click();
    await panel.getByText('Done: assigned environment_admin (judy)').waitFor();
    const judyRow = page.getByTestId('users').getByRole('row').filter({ has: page.getByRole('button', { name: 'judy', exact: true }) });
    await judyRow.filter({ hasText: 'environment_admin' }).waitFor();
    await screenshot(page, 'user-actions');

    await panel.getByRole('button', { name: 'Remove role' }).click();
    await panel.getByText('Done: removed environment_admin (judy)').waitFor();
    await judyRow.filter({ hasNotText: 'environment_admin' }).waitFor();
  });

  it('irene adds a business unit and it appears in the tree under its parent', async () => {
    const page = await tab();
    await signInAs(page, 'irene');
    await page.goto(`${world.url}/admin/#/business-units`);
    await page.getByTestId('bu-tree').waitFor();
    await page.getByLabel('New unit').fill('Marketing Events');
    await page.getByLabel('Parent').selectOption({ label: 'Marketing' });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Done: created Marketing Events').waitFor();
    // the tree reloads after the message: wait for the new unit in it first
    await page.getByTestId('bu-tree').getByText('Marketing Events', { exact: true }).waitFor();
    const path = await page.getByTestId('bu-tree').locator('li', { hasText: 'Marketing Events' }).evaluateAll((items) => items.map((li) => li.firstElementChild?.textContent));
    expect(path).toEqual(['Contoso', 'Marketing', 'Marketing Events']);
  });
});

describe('layout', () => {
  // Each page with what shows once its data is in.
  const PAGES = [['records', 'Records & access', 'record-count'], ['check', 'Check access', null], ['business-units', 'Business units', 'bu-tree'],
    ['users', 'Users', 'users'], ['teams', 'Teams', 'teams'], ['roles', 'Roles', 'role-grid'], ['audit', 'Audit log', 'audit-verdict']] as const;

  it('every page renders at 1280×800 and at phone width without sideways scrolling', async () => {
    for (const [viewport, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
      const page = await tab(viewport);
      await signInAs(page, 'irene');
      for (const [route, title, ready] of PAGES) {
        await page.goto(`${world.url}/admin/#/${route}`);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        if (ready) await page.getByTestId(ready).waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${route} at ${viewport.width}px`).toBeLessThanOrEqual(0);
        if (suffix ? ['records', 'users', 'access'].includes(route) : ['business-units', 'teams', 'check'].includes(route)) await screenshot(page, `${route}${suffix}`);
      }
    }
  });
});
