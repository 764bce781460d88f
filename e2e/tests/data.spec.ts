import { test, expect, newPhone, phoneContext, serverLog, serverNow, teamOfTwo, AppPage } from './app';

test('a phone whose clock runs ten minutes fast has its changes stored, none refused', async ({ browser, baseURL, request }) => {
  // The phone's clock, not the server's: ten minutes ahead, and running.
  const context = await phoneContext(browser, { baseURL }, 10 * 60_000);
  const anna = new AppPage(await context.newPage());
  const refused: string[] = [];
  anna.page.on('response', (answer) => {
    if (answer.url().includes('/api/v1/') && answer.status() >= 400) refused.push(`${answer.status()} ${answer.url()}`);
  });
  await anna.open('/');
  await anna.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await anna.teamPage();
  await anna.page.getByLabel('Verbinder').check();
  await anna.syncNow();

  // Made while the server cannot be reached, after a reload: the offset learned earlier holds.
  await anna.page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await anna.page.reload();
  await anna.page.getByLabel('Ondernemer').check();
  await expect(anna.syncStatus).toHaveText('Offline · 1 wijziging wacht');
  await anna.page.unroute('**/api/v1/**');
  await anna.syncNow();

  expect(refused, 'no change was refused for its clock').toEqual([]);
  const { id: device, token } = (await anna.session()).device;
  const mine = (await serverLog(request, baseURL!, token)).filter(
    (op) => op.author.device === device && 'member_update' in op.payload,
  );
  expect(mine).toHaveLength(2);
  for (const op of mine) {
    // Stamped by the server's clock, not ten minutes ahead of it.
    expect(Math.abs(op.hlc.wall_ms - serverNow())).toBeLessThan(2 * 60_000);
  }
  await expect(anna.page.locator('.member-roles')).toHaveText('Verbinder, Ondernemer');
  await context.close();
});

test('a phone revoked as lost deletes the team data at its next sync and says so', async ({ browser, baseURL, request }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await bram.page.getByLabel('Verbinder').check();
  await bram.syncNow();
  const session = await bram.session();
  const database = `buurtbel-${(session as unknown as { team: { id: string } }).team.id}`;
  const databases = () => bram.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(await databases()).toContain(database);

  const admin = (await anna.session()).device.token;
  const answer = await request.delete(`${baseURL}/api/v1/devices/${session.device.id}?lost=true`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(answer.status()).toBe(204);

  await bram.syncStatus.click();
  await expect(bram.page.getByText('Deze telefoon is uit het team gehaald en de gegevens zijn gewist.')).toBeVisible();
  await expect(bram.heading).toHaveText('Welkom bij Buurtbel');
  expect(await bram.page.evaluate(() => localStorage.getItem('buurtbel.session'))).toBeNull();
  expect(await databases()).not.toContain(database);
  // Nothing of the team comes back with a reload.
  await bram.page.reload();
  await expect(bram.heading).toHaveText('Welkom bij Buurtbel');

  // Anna's phone, not revoked, keeps everything.
  await anna.syncNow();
  await expect(anna.page.locator('.member-name')).toHaveText(['Anna (jij)', 'Bram']);
});
