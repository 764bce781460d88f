import { test, expect, addRange, newPhone, roleChanges, teamOfTwo } from './app';
import { OwnServer } from './server';

test('two phones with their own storage converge through the server', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);

  // The team page says what the code allows.
  await expect(anna.page.locator('.invite-allows')).toContainText('en voor hoogstens 10 nieuwe teamleden');

  // Bram's first sync brought Anna's team in.
  await expect(bram.page.locator('.member-name')).toHaveText(['Anna', 'Bram (jij)']);
  // Anna sees Bram after her next sync.
  await anna.syncNow();
  await expect(anna.page.locator('.member-name')).toHaveText(['Anna (jij)', 'Bram']);

  await anna.page.getByLabel('Ondernemer').check();
  await bram.page.getByLabel('Verbinder').check();
  await anna.syncNow();
  await bram.syncNow();
  await anna.syncNow();
  for (const phone of [anna, bram]) {
    await expect(phone.page.locator('.member-roles')).toHaveText(['Ondernemer', 'Verbinder']);
    await expect(phone.page.locator('.coverage')).toHaveText('Het team mist nog: Inhoudelijk expert');
  }
});

test('changes made offline are kept, shown and sent exactly once after reconnecting', async ({ browser, baseURL, request }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  const { id: device, token } = (await bram.session()).device;

  await bram.page.context().setOffline(true);
  await bram.page.getByLabel('Verbinder').check();
  await bram.page.getByLabel('Inhoudelijk expert').check();
  await bram.page.getByLabel('Inhoudelijk expert').uncheck();
  await expect(bram.syncStatus).toHaveText('Offline · 3 wijzigingen wachten');
  await expect(bram.page.locator('.member-roles').nth(1)).toHaveText('Verbinder');

  // The app is closed and opened again where the page loads but the server cannot be reached
  // (no offline shell yet): nothing lost, still waiting.
  await bram.page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await bram.page.context().setOffline(false);
  await bram.page.reload();
  await expect(bram.page.locator('.member-roles').nth(1)).toHaveText('Verbinder');
  await expect(bram.syncStatus).toHaveText('Offline · 3 wijzigingen wachten');
  expect(await roleChanges(request, baseURL!, token, device)).toBe(0);

  // The `online` event starts a sync by itself.
  await bram.page.context().setOffline(true);
  await bram.page.unroute('**/api/v1/**');
  await bram.page.context().setOffline(false);
  await expect(bram.syncStatus).toHaveAttribute('data-state', 'synced');
  expect(await roleChanges(request, baseURL!, token, device)).toBe(3);

  // A reload and more syncs send nothing again.
  await bram.page.reload();
  await bram.syncNow();
  await bram.syncNow();
  expect(await roleChanges(request, baseURL!, token, device)).toBe(3);
  await anna.syncNow();
  await expect(anna.page.locator('.member-roles').nth(1)).toHaveText('Verbinder');
});

test('a server that stops mid-sync loses nothing and stores nothing twice', async ({ browser, request }) => {
  const server = new OwnServer();
  await server.start();
  try {
    const anna = await newPhone(browser, server.url);
    const bram = await newPhone(browser, server.url);
    await teamOfTwo(anna, bram);
    const { id: device, token } = (await bram.session()).device;

    // The server stores a push but its answer never arrives (the connection drops).
    let dropped = 0;
    await bram.page.route('**/api/v1/push', async (route) => {
      if (dropped === 0) {
        dropped++;
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await bram.page.getByLabel('Verbinder').check();
    await expect.poll(() => dropped).toBe(1);
    await expect(bram.syncStatus).toHaveText('Offline · 1 wijziging wacht');
    expect(await roleChanges(request, server.url, token, device)).toBe(1);

    // Then the server goes down altogether, and Bram keeps working.
    await server.kill();
    await bram.page.getByLabel('Ondernemer').check();
    await bram.syncStatus.click();
    await expect(bram.syncStatus).toHaveText('Offline · 2 wijzigingen wachten');

    // Back up on the same port and database: the retry is answered as before, the new change
    // is stored, and nothing is stored twice.
    await server.start();
    await bram.syncNow();
    expect(await roleChanges(request, server.url, token, device)).toBe(2);
    await anna.syncNow();
    await expect(anna.page.locator('.member-roles').nth(1)).toHaveText('Verbinder, Ondernemer');
  } finally {
    await server.dispose();
  }
});

test('a second tab shows changes made in the first', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  await anna.open('/');
  await anna.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await anna.teamPage();
  const tab = new (anna.constructor as typeof import('./app').AppPage)(await anna.page.context().newPage());
  await tab.open('/team');
  await expect(tab.page.locator('.member-name')).toHaveText(['Anna (jij)']);

  await anna.page.getByLabel('Verbinder').check();
  await expect(tab.page.locator('.member-roles')).toHaveText('Verbinder');
  await expect(tab.page.getByLabel('Verbinder')).toBeChecked();
});

test('a phone removed from the team says so and keeps its data until the user decides', async ({ browser, baseURL, request }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await expect(bram.page.locator('.member-name')).toHaveText(['Anna', 'Bram (jij)']);

  const admin = (await anna.session()).device.token;
  const removed = (await bram.session()).device.id;
  const answer = await request.delete(`${baseURL}/api/v1/devices/${removed}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(answer.status()).toBe(204);

  await bram.syncStatus.click();
  await expect(bram.page.getByRole('heading', { name: 'Dit apparaat is uit het team verwijderd' })).toBeVisible();
  await expect(bram.syncStatus).toHaveText('Verwijderd uit team');
  // The team's data is still there to read.
  await expect(bram.page.locator('.member-name')).toHaveText(['Anna', 'Bram (jij)']);

  await bram.page.getByRole('button', { name: 'Gegevens van deze telefoon verwijderen' }).click();
  await expect(bram.heading).toHaveText('Welkom bij Buurtbel');
  expect(await bram.page.evaluate(() => localStorage.getItem('buurtbel.session'))).toBeNull();
});

test('a change the server refuses is shown with its reason, left out, never sent again, and can be discarded', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  await anna.open('/');
  await anna.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await anna.syncNow();
  // A second tab of the same phone, on the settings page.
  const tab = new (anna.constructor as typeof import('./app').AppPage)(await anna.page.context().newPage());
  await tab.open('/instellingen');
  // The server refuses the address for good, as it refuses a change only an admin may make;
  // whichever tab syncs.
  const refusals: string[] = [];
  await anna.page.context().route('**/api/v1/push', async (route) => {
    const ops: { id: string; payload: Record<string, unknown> }[] = route.request().postDataJSON().ops;
    const address = ops.find((op) => 'address_add' in op.payload);
    if (!address) return route.continue();
    refusals.push(address.id);
    await route.fulfill({
      status: 403,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'forbidden', message: 'only an admin may', op: address.id }),
    });
  });
  await addRange(anna, 'Weigerstraat', '7', '3581 BA', 1);
  await anna.syncStatus.click();
  await anna.open('/instellingen');
  const refused = anna.page.locator('section.refused');
  await expect(refused.locator('h2')).toHaveText('Niet verstuurd');
  await expect(refused.locator('li')).toHaveCount(1);
  await expect(refused.locator('li')).toContainText('Adressen · Weigerstraat 7');
  await expect(refused.locator('li')).toContainText('Alleen een beheerder van het team mag dit.');
  expect(refusals).toHaveLength(1);
  const inTab = tab.page.locator('section.refused li');
  await expect(inTab).toContainText('Adressen · Weigerstraat 7');

  // The team never got it: the walk list leaves it out. After a restart it is still listed and
  // not sent again.
  await anna.open('/');
  await expect(anna.page.locator('.door')).toHaveCount(0);
  await anna.page.reload();
  await anna.syncNow();
  expect(refusals).toHaveLength(1);
  await anna.open('/instellingen');
  await expect(refused.locator('li')).toContainText('Weigerstraat 7');

  await refused.getByRole('button', { name: 'Weggooien' }).click();
  await expect(refused).toHaveCount(0);
  await expect(inTab).toHaveCount(0);
  await anna.page.reload();
  await expect(anna.heading).toHaveText('Instellingen');
  await expect(refused).toHaveCount(0);
});
