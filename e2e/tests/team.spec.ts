import { addRange, AppPage, drafts, expect, leaveDraft, newPhone, teamOfTwo, test } from './app';

/** Anna's team with three addresses, and on Bram's phone an unsaved visit about a resident. */
async function teamOfTwoWithDraft(anna: AppPage, bram: AppPage) {
  await teamOfTwo(anna, bram);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-3', '3581 AB', 3);
  await anna.syncNow();
  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await leaveDraft(bram, '2');
}

test('a team mate joins with the invite link: only a name is left to type', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await anna.open('/');
  await anna.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await anna.teamPage();
  const code = await anna.inviteCode();
  const link = (await anna.page.locator('.invite-link').textContent())!.trim();
  expect(link).toBe(`${baseURL}/join/${code}`);
  // The same link as a QR code for a phone's camera: a square of modules with the quiet zone.
  const qr = anna.page.getByRole('img', { name: /QR-code met de uitnodigingslink/ });
  await expect(qr).toBeVisible();
  const box = (await qr.getAttribute('viewBox'))!.split(' ').map(Number);
  expect(box[2]).toBe(box[3]);
  expect((box[2] - 8 - 17) % 4).toBe(0);

  await bram.page.goto(link);
  await expect(bram.page.locator('#join-code')).toHaveValue(code);
  // The link says which team it opens; starting a team of one's own is folded away.
  await expect(bram.page.locator('.invited')).toHaveText('Je bent uitgenodigd voor het team Groen Lindelaan in Lindelaan.');
  await expect(bram.page.locator('#start-team')).toBeHidden();
  await expect(bram.page.locator('summary', { hasText: 'Een nieuw team beginnen' })).toBeVisible();
  await bram.page.screenshot({ path: test.info().outputPath('join-link.png') });
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

test('a join link whose code no longer works says so before a name is typed', async ({ app, page }) => {
  await page.goto('/join/ABCD-EFGH');
  await expect(page.locator('#join-code')).toHaveValue('ABCD-EFGH');
  await expect(page.locator('form').first().locator('.form-error')).toContainText('Deze code klopt niet, is verlopen of is al gebruikt.');
  await expect(page.locator('.invited')).toHaveCount(0);
  // Starting a team instead is one tap away.
  await page.locator('summary', { hasText: 'Een nieuw team beginnen' }).click();
  await expect(page.locator('#start-team')).toBeVisible();
});

test('a join link with something else than a code fills in nothing', async ({ app, page }) => {
  await page.goto('/join/%3Cscript%3E');
  await expect(app.languageSwitch).toBeVisible();
  await expect(page.locator('#join-code')).toHaveValue('');
});

test('readiness says which roles are missing until two phones fill all three', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  const card = (app: typeof anna, role: string) => app.page.locator('.role-card').filter({ hasText: role });
  await expect(card(anna, 'Verbinder')).toHaveAttribute('data-state', 'missing');
  await expect(card(anna, 'Verbinder')).toContainText('Nog een verbinder nodig');

  await anna.page.getByRole('checkbox', { name: 'Verbinder' }).check();
  await anna.page.getByRole('checkbox', { name: 'Ondernemer' }).check();
  await expect(card(anna, 'Verbinder')).toHaveAttribute('data-state', 'thin');
  await expect(card(anna, 'Verbinder')).toContainText('Anna');
  await bram.page.getByRole('checkbox', { name: 'Inhoudelijk expert' }).check();
  await bram.page.getByRole('checkbox', { name: 'Verbinder' }).check();
  await anna.syncNow();
  await bram.syncNow();
  await anna.syncNow();
  for (const phone of [anna, bram]) {
    await expect(card(phone, 'Verbinder')).toHaveAttribute('data-state', 'ok');
    await expect(card(phone, 'Verbinder')).toContainText('Anna, Bram');
    await expect(card(phone, 'Inhoudelijk expert')).toHaveAttribute('data-state', 'thin');
    await expect(phone.page.locator('.coverage')).toHaveText('Alle drie de rollen zijn bezet.');
  }
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a resident who wants to join at the door shows as a candidate with the role they chose', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await page.getByRole('link', { name: 'Adressen toevoegen' }).first().click();
  await page.locator('#add-street').fill('Lindelaan');
  await page.locator('#add-numbers').fill('7');
  await page.locator('#add-postcode').fill('3581 AB');
  await page.getByRole('button', { name: 'Bekijken' }).first().click();
  await page.getByRole('button', { name: '1 adres toevoegen' }).click();
  await page.locator('.door-open').first().click();
  const sheet = page.getByRole('dialog');
  await sheet.getByText('Wil in het team', { exact: true }).click();
  await sheet.getByRole('checkbox', { name: 'Verbinder' }).check();
  await sheet.getByRole('button', { name: 'Opslaan' }).click();
  await expect(sheet).toHaveCount(0);
  await app.teamPage();
  await expect(page.locator('.candidates li')).toHaveText(['Lindelaan 7: wil in het team, als verbinder']);
});

test('an admin sees the devices, revokes a phone as lost after confirming, and that phone is wiped', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwoWithDraft(anna, bram);
  await anna.page.reload();
  await anna.teamPage();
  const devices = anna.page.locator('.team-device');
  await expect(devices).toHaveCount(2);
  await expect(devices.filter({ hasText: 'Anna' })).toContainText('dit apparaat');
  await expect(devices.filter({ hasText: 'Anna' }).getByRole('button')).toHaveCount(0);
  // The team's first invite is open: Bram joined with it.
  const invites = anna.page.locator('.team-invite');
  await expect(invites).toHaveCount(1);
  await expect(invites).toContainText('1 van 10 gebruikt');
  const brams = devices.filter({ hasText: 'Bram' });
  await brams.getByRole('button', { name: 'Kwijt: intrekken en wissen' }).click();
  await expect(brams.getByRole('alertdialog')).toContainText('Het apparaat van Bram intrekken als kwijt?');
  await brams.getByRole('button', { name: 'Ja, doorgaan' }).click();
  await expect(brams).toContainText('ingetrokken als kwijt');
  // Whoever finds the phone may know the code it showed: every open invite ended with it, and
  // the team page offers a new one in one tap.
  await expect(anna.page.getByRole('status').filter({ hasText: 'Alle open uitnodigingen zijn beëindigd' })).toBeVisible();
  await expect(invites).toHaveCount(0);
  await expect(anna.page.locator('.invite-list')).toContainText('Geen open uitnodigingen.');
  await expect(anna.page.locator('.invite-code')).toHaveCount(0);
  await anna.page.getByRole('button', { name: 'Nieuwe uitnodigingscode' }).click();
  await expect(anna.page.locator('.invite-code')).toContainText(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
  await expect(anna.page.getByRole('status').filter({ hasText: 'Alle open uitnodigingen' })).toHaveCount(0);
  await anna.page.getByRole('button', { name: 'Apparaten ophalen' }).click();
  await expect(invites).toHaveCount(1);
  await expect(invites).toContainText('0 van 10 gebruikt');
  await invites.getByRole('button', { name: 'Beëindigen' }).click();
  await expect(invites).toHaveCount(0);
  await expect(anna.page.locator('.invite-code')).toHaveCount(0);

  await bram.syncStatus.click();
  await expect(bram.page.getByRole('heading', { level: 1 })).toHaveText('Welkom bij Buurtbel');
  await expect(bram.page.locator('.notices')).toContainText('de gegevens zijn gewist');
  const session = await bram.page.evaluate(() => localStorage.getItem('buurtbel.session'));
  expect(session).toBeNull();
  expect(await drafts(bram)).toBe('');
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a member made admin on another phone gets the devices section at the next sync', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await expect(bram.page.getByRole('heading', { name: 'Apparaten van het team' })).toHaveCount(0);
  await anna.page.reload();
  await anna.teamPage();
  const brams = anna.page.locator('.team-device').filter({ hasText: 'Bram' });
  await brams.getByRole('button', { name: 'Beheerder maken' }).click();
  await expect(brams).toContainText('beheerder');
  await bram.syncNow();
  await expect(bram.page.getByRole('heading', { name: 'Apparaten van het team' })).toBeVisible();
  await expect(bram.page.locator('.team-device')).toHaveCount(2);
  // The promotion is kept: after a restart the section is there before any sync.
  await bram.page.reload();
  await bram.teamPage();
  await expect(bram.page.getByRole('heading', { name: 'Apparaten van het team' })).toBeVisible();
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a member leaves the team: removed for the others, this phone wiped; the last admin cannot leave', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwoWithDraft(anna, bram);
  await anna.teamPage();
  await bram.page.getByRole('link', { name: 'Instellingen' }).click();
  await bram.page.getByRole('button', { name: 'Dit team verlaten' }).click();
  await expect(bram.page.getByRole('alertdialog')).toContainText('Je verlaat Groen Lindelaan.');
  await bram.page.getByRole('button', { name: 'Ja, doorgaan' }).click();
  await expect(bram.heading).toHaveText('Welkom bij Buurtbel');
  await expect(bram.page.locator('.notices')).toContainText('Je hebt het team verlaten');
  expect(await bram.page.evaluate(() => localStorage.getItem('buurtbel.session'))).toBeNull();
  expect(await drafts(bram)).toBe('');

  await anna.syncNow();
  await expect(anna.page.locator('.member-name')).toHaveText(['Anna (jij)']);
  await anna.page.getByRole('link', { name: 'Instellingen' }).click();
  await anna.page.getByRole('button', { name: 'Dit team verlaten' }).click();
  await anna.page.getByRole('button', { name: 'Ja, doorgaan' }).click();
  await expect(anna.page.locator('.leave [role=status]')).toContainText('minstens één beheerder');
  await expect(anna.heading).toHaveText('Instellingen');
  await anna.teamPage();
  // Nothing was recorded: Anna is still in her own team.
  await expect(anna.page.locator('.member-name')).toHaveText(['Anna (jij)']);
  await expect(anna.syncStatus).not.toContainText('wacht');
  await anna.page.context().close();
  await bram.page.context().close();
});
