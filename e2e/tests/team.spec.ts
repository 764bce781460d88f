import { expect, newPhone, test } from './app';

test('a team mate joins with the invite link: only a name is left to type', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await anna.open('/');
  await anna.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await anna.teamPage();
  const code = await anna.inviteCode();
  const link = (await anna.page.locator('.invite-link').textContent())!.trim();
  expect(link).toBe(`${baseURL}/join/${code}`);

  await bram.page.goto(link);
  await expect(bram.page.locator('#join-code')).toHaveValue(code);
  await bram.page.locator('#join-name').fill('Bram');
  await bram.page.getByRole('button', { name: 'Meedoen' }).click();
  await expect(bram.nav).toBeVisible();
  await expect(bram.page).toHaveURL(`${baseURL}/`);
  await bram.teamPage();
  await bram.syncNow();
  await expect(bram.page.locator('.member-name')).toHaveText(['Anna', 'Bram (jij)']);
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a join link with something else than a code fills in nothing', async ({ app, page }) => {
  await page.goto('/join/%3Cscript%3E');
  await expect(app.languageSwitch).toBeVisible();
  await expect(page.locator('#join-code')).toHaveValue('');
});
