import { addRange, type AppPage, door, expect, newPhone, openDoor, serverLog, teamOfTwo, test } from './app';

/** Starts an AED project (its plan and starting guide) on the plan page. */
async function startAed(app: AppPage) {
  await app.nav.getByRole('link', { name: 'Plan' }).click();
  await app.page.getByRole('button', { name: 'Nieuw project' }).click();
  await app.page.getByRole('button', { name: 'Project starten' }).click();
  await expect(app.page.locator('.phase').first()).toBeVisible();
}

/** Opens the guide from the walk list, as at the door. */
async function openGuide(app: AppPage) {
  await app.nav.getByRole('link', { name: 'Looplijst' }).click();
  await app.page.locator('.toolbar').getByRole('link', { name: 'Gids' }).click();
  await expect(app.heading).toHaveText('Gids voor aan de deur');
}

test('an expert writes a question and answer on one phone; a connector reads it offline on the other', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await anna.page.getByRole('checkbox', { name: 'Inhoudelijk expert' }).check();
  await startAed(anna);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-5 oneven', '3581 AB', 3);
  await openGuide(anna);
  const guide = anna.page.locator('.guide');
  await expect(guide.locator('.guide-owners')).toHaveText('Van de inhoudelijk experts: Anna');
  await expect(guide.locator('.guide-question summary').first()).toContainText('Wat is een AED?');
  await expect(guide.locator('.tag.draft').first()).toBeVisible();
  await guide.getByRole('button', { name: 'Bewerken' }).click();
  await guide.locator('.guide-add textarea').first().fill('Mag ik de kast sponsoren met mijn bedrijf?');
  await guide.locator('.guide-add textarea').nth(1).fill('Graag: een sponsor staat met naam op de kast.');
  await guide.getByRole('button', { name: 'Toevoegen aan de gids' }).click();
  // Each addition shows in the list being edited once it is saved, as the expert sees it.
  const values = (kind: string) => guide.locator(`.guide-edit[data-kind=${kind}] textarea`).evaluateAll((ts) => ts.map((t) => (t as HTMLTextAreaElement).value));
  await expect.poll(() => values('Question')).toContain('Mag ik de kast sponsoren met mijn bedrijf?');
  // Guide text is shown as text, never as markup.
  await guide.locator('.guide-add select').selectOption({ label: 'Kernpunt' });
  await guide.locator('.guide-add textarea').first().fill('Neem <b>altijd</b> een flyer mee.');
  await guide.getByRole('button', { name: 'Toevoegen aan de gids' }).click();
  await expect.poll(() => values('KeyPoint')).toContain('Neem <b>altijd</b> een flyer mee.');
  // The template's opening made the team's own: no longer a draft.
  const opening = guide.locator('.guide-edit[data-kind=Opening] textarea');
  await opening.fill('Wij zijn Anna en Bram uit het buurtteam: we willen een AED bij de speeltuin.');
  await opening.blur();
  await guide.getByRole('button', { name: 'Klaar met bewerken' }).click();
  await expect(guide.locator('.guide-opening')).toHaveText('Wij zijn Anna en Bram uit het buurtteam: we willen een AED bij de speeltuin.');
  await expect(guide.locator('.guide-point').last()).toHaveText('Neem <b>altijd</b> een flyer mee.');
  await expect(guide.locator('.guide-point b')).toHaveCount(0);
  await anna.syncNow();

  await bram.syncNow();
  await bram.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
  await bram.page.context().setOffline(true);
  await bram.page.reload();
  await openGuide(bram);
  await bram.page.locator('#guide-search').fill('sponsor kast');
  const found = bram.page.locator('.guide-question');
  await expect(found).toHaveCount(1);
  await expect(found.locator('summary')).toHaveText('Mag ik de kast sponsoren met mijn bedrijf?');
  await expect(found.locator('p')).toHaveText('Graag: een sponsor staat met naam op de kast.');
  await expect(found).toHaveAttribute('open', '');
  await bram.page.locator('#guide-search').fill('');
  await expect(bram.page.locator('.guide-opening')).toContainText('Anna en Bram');
  await expect(bram.page.locator('.guide-opening .tag.draft')).toHaveCount(0);
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a question from the door goes to the team: the meeting agenda, then an answer that joins the guide', async ({ browser, baseURL, request }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await startAed(anna);
  await anna.syncNow();
  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(bram, 'Lindelaan', '1-5 oneven', '3581 AB', 3);
  // Door 1: no consent, the question goes without the address.
  await openDoor(bram, '1');
  await bram.page.getByRole('dialog').getByText('Wil informatie', { exact: true }).click();
  await bram.page.locator('#visit-question').fill('Wie betaalt de stroom van de kast?');
  await bram.page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(bram.page.getByRole('dialog')).toHaveCount(0);
  // Door 3: agreed to hear about the project, so the address goes with it.
  await openDoor(bram, '3');
  await bram.page.getByRole('dialog').getByText('Geïnteresseerd', { exact: true }).click();
  await bram.page.locator('#visit-question').fill('Kan de kast ook aan de school?');
  await bram.page.getByRole('switch').check();
  await bram.page.getByRole('checkbox', { name: 'Nieuws over het project' }).check();
  await bram.page.getByRole('checkbox', { name: 'E-mail' }).check();
  await bram.page.locator('#resident-email').fill('buur@example.nl');
  await bram.page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(bram.page.getByRole('dialog')).toHaveCount(0);
  await bram.syncNow();

  const session = await bram.session();
  const asked = (await serverLog(request, baseURL!, session.device.token))
    .map((op) => op.payload.question_ask as { text: string; address?: string } | undefined)
    .filter((q) => q);
  expect(asked.map((q) => [q!.text, Boolean(q!.address)])).toEqual([
    ['Wie betaalt de stroom van de kast?', false],
    ['Kan de kast ook aan de school?', true],
  ]);

  await anna.syncNow();
  await anna.nav.getByRole('link', { name: 'Overleg' }).click();
  await anna.page.getByRole('button', { name: 'Overleg starten' }).click();
  const agenda = anna.page.locator('.agenda-questions li');
  await expect(agenda).toHaveCount(2);
  await expect(agenda.first()).toContainText('Wie betaalt de stroom van de kast?');
  await expect(agenda.nth(1)).toContainText('Lindelaan 3');

  await openGuide(anna);
  const open = anna.page.locator('.open-question').filter({ hasText: 'Wie betaalt de stroom' });
  await open.locator('textarea').fill('De eigenaar van de gevel: een paar euro per jaar.');
  await open.getByRole('button', { name: 'Beantwoorden' }).click();
  await expect(anna.page.locator('.open-question')).toHaveCount(1);
  await expect(anna.page.locator('.guide-question summary', { hasText: 'Wie betaalt de stroom van de kast?' })).toBeVisible();
  await anna.nav.getByRole('link', { name: 'Overleg' }).click();
  await expect(anna.page.locator('.agenda-questions li')).toHaveCount(1);
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a flyer left at a closed door counts as not home, and the flyer prints on one A5 page', async ({ app, page, request, baseURL }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await startAed(app);
  await app.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(app, 'Lindelaan', '1-5 oneven', '3581 AB', 3);
  await openDoor(app, '5');
  await page.getByRole('dialog').getByRole('button', { name: 'Niet thuis, flyer achtergelaten' }).click();
  await expect(door(app, '5').locator('.chip')).toContainText('Niet thuis');
  await openDoor(app, '5');
  await page.getByRole('link', { name: 'Geschiedenis' }).click();
  await expect(page.locator('.history-visit').first()).toContainText('flyer');
  await app.syncNow();
  const session = await app.session();
  const visits = (await serverLog(request, baseURL!, session.device.token)).filter((op) => 'visit_log' in op.payload);
  expect(visits.map((op) => (op.payload.visit_log as { outcome: string; flyer?: boolean }))).toEqual([
    expect.objectContaining({ outcome: 'not_home', flyer: true }),
  ]);

  await page.goto('/gids');
  await page.getByRole('link', { name: 'Flyer' }).click();
  await expect(page.locator('.flyer h2')).toHaveText('AED in de buurt');
  await page.locator('#flyer-when').fill('donderdag 11 december, 20.00 uur, buurthuis De Linde');
  await expect(page.locator('.flyer-when')).toContainText('buurthuis De Linde');
  await expect(page.locator('.flyer')).not.toContainText('Lindelaan 5');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: test.info().outputPath('flyer-print-preview.png'), fullPage: true });
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
  // A5 portrait: 148 x 210 mm is 420 x 595 points.
  const box = pdf.match(/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/)!;
  expect(Math.round(Number(box[1]))).toBe(420);
  expect(Math.round(Number(box[2]))).toBe(595);
});
