import { addRange, expect, newPhone, openDoor, startProject, teamOfTwo, test } from './app';

/** Controls whose name a screen reader reads out. */
const CONTROLS = ['button', 'link', 'checkbox', 'radio', 'textbox', 'combobox', 'switch', 'spinbutton', 'searchbox'];

/** Every control's role and name within `within`, as a screen reader reads them. */
async function controlNames(within: import('@playwright/test').Locator) {
  const snapshot = await within.ariaSnapshot();
  const names: string[] = [];
  for (const line of snapshot.split('\n')) {
    const found = line.match(/^\s*- (\w+) "((?:[^"\\]|\\.)*)"/);
    if (found && CONTROLS.includes(found[1])) names.push(`${found[1]} "${found[2]}"`);
  }
  return names;
}

/** The names shared by two or more controls of one role, with how many share each. */
function shared(names: string[]) {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([name, n]) => `${name} ×${n}`);
}

test('no two controls on a page share a name', async ({ browser, baseURL }) => {
  const app = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(app, bram);
  // An admin's team page lists both phones, each with its own buttons.
  await app.page.getByRole('button', { name: 'Apparaten ophalen' }).click();
  await expect(app.page.locator('.device-name')).toHaveCount(2);
  const teamPage = shared(await controlNames(app.page.locator('body')));
  await app.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(app, 'Lindelaan', '1-9 oneven', '3581 AB', 5);
  await openDoor(app, '3');
  const sheet = app.page.getByRole('dialog');
  await sheet.locator('.outcome').filter({ hasText: 'Wil informatie' }).click();
  const inSheet = shared(await controlNames(sheet));
  await sheet.getByRole('button', { name: 'Opslaan' }).click();
  await expect(sheet).toHaveCount(0);
  await startProject(app, 'AED in de buurt');
  await app.nav.getByRole('link', { name: 'Overleg' }).click();
  await app.page.getByRole('button', { name: 'Overleg starten' }).click();
  await expect(app.page.locator('.meeting')).toBeVisible();

  const problems: string[] = [];
  for (const path of ['/', '/team', '/plan', '/overleg', '/voortgang', '/instellingen', '/gids', '/opvolgen']) {
    await app.open(path);
    await expect(app.heading).toBeVisible();
    const names = await controlNames(app.page.locator('body'));
    if (path === '/') {
      // The check reads what it should: each door's own "niet thuis".
      expect(names.filter((n) => n.startsWith('button "Niet thuis, Lindelaan '))).toHaveLength(5);
    }
    for (const name of shared(names)) problems.push(`${path}: ${name}`);
  }
  // An address with two visits of one's own, each with its undo.
  await app.open('/');
  await openDoor(app, '3');
  await sheet.locator('.outcome').filter({ hasText: 'Doet mee' }).click();
  await sheet.getByRole('button', { name: 'Opslaan' }).click();
  await expect(sheet).toHaveCount(0);
  await openDoor(app, '3');
  await sheet.getByRole('link', { name: 'Geschiedenis' }).click();
  await expect(app.page.locator('.history li')).toHaveCount(2);
  for (const name of shared(await controlNames(app.page.locator('body')))) problems.push(`address: ${name}`);
  expect([...inSheet.map((s) => `visit sheet: ${s}`), ...teamPage.map((s) => `team page with devices: ${s}`), ...problems]).toEqual([]);
});
