import { addRange, AppPage, door, drafts, expect, leaveDraft, newPhone, openDoor, phoneContext, serverNow, startProject, teamOfTwo, test } from './app';

/** Logs "doet mee" at door `number` with a pledge of `amount` for the only project. */
async function pledge(app: AppPage, number: string, amount: string) {
  await openDoor(app, number);
  const sheet = app.page.getByRole('dialog');
  await sheet.locator('.outcome').filter({ hasText: 'Doet mee' }).click();
  await sheet.locator('input[name^=interest-]').nth(3).check();
  await sheet.locator('input[id^=pledge-]').fill(amount);
  await sheet.getByRole('button', { name: 'Opslaan' }).click();
  await expect(sheet).toHaveCount(0);
}

/** The calendar date at `ms` in Amsterdam: as a date field takes it, as the app writes it
 * ("20 dec"), and to the minute as the exports write it ("2026-12-20 14:05"). */
function inAmsterdam(ms: number) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const months = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
  const iso = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    iso,
    day: `${Number(parts.day)} ${months[Number(parts.month) - 1]}`,
    minute: `${iso} ${parts.hour}:${parts.minute}`,
  };
}

/** The plan's step with title `title`. */
function step(app: AppPage, title: string) {
  return app.page.locator('li.step').filter({ has: app.page.locator('label', { hasText: title }) });
}

test('an AED project: pledges logged at the door on one phone raise the evidence count on the other', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  // The plan is not ready to start while roles are missing; it is once all three are filled.
  await startProject(anna, 'AED in de buurt');
  await expect(anna.page.locator('.readiness-line')).toContainText('Nog nodig: inhoudelijk expert, verbinder, ondernemer');
  await anna.teamPage();
  for (const role of ['Inhoudelijk expert', 'Verbinder', 'Ondernemer']) {
    await anna.page.getByRole('checkbox', { name: role }).check();
  }
  await anna.nav.getByRole('link', { name: 'Plan' }).click();
  await expect(anna.page.locator('.readiness-line')).toHaveAttribute('data-ready', 'true');
  await expect(anna.page.locator('.readiness-line')).toContainText('Klaar om te starten');
  const doors = step(anna, 'Flyeren en langs de deuren');
  await expect(doors.locator('.evidence-count')).toHaveText('0 van 60 huishoudens met een toezegging');
  await anna.syncNow();

  // Bram walks the street with the project on his phone and logs two pledges.
  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(bram, 'Lindelaan', '1-9 oneven', '3581 AB', 5);
  await pledge(bram, '1', '25');
  await pledge(bram, '3', '40');
  await door(bram, '5').getByRole('button', { name: /^Niet thuis, / }).click();
  await bram.syncNow();

  await anna.syncNow();
  await expect(doors.locator('.evidence-count')).toHaveText('2 van 60 huishoudens met een toezegging');
  await expect(anna.page.locator('.target-line')).toContainText('65 van 1500 euro');
  await doors.scrollIntoViewIfNeeded();
  await anna.page.screenshot({ path: test.info().outputPath('evidence.png') });
  // Ticking the step before its target is met asks first.
  await doors.getByRole('checkbox').click();
  await expect(doors.locator('.confirm')).toContainText('Het doel is nog niet bereikt (2 van 60 huishoudens met een toezegging)');
  await doors.getByRole('button', { name: 'Annuleren' }).click();
  await expect(doors.getByRole('checkbox')).not.toBeChecked();
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a meeting on one phone ticks a step, records a decision and an action item; the other phone sees them', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await startProject(anna, 'Vergroenen');
  await anna.nav.getByRole('link', { name: 'Overleg' }).click();
  await anna.page.locator('#meeting-title').fill('Aftrap');
  await anna.page.getByRole('button', { name: 'Overleg starten' }).click();
  await expect(anna.page.locator('.meeting-head h2')).toContainText('Aftrap');
  await anna.page.locator('.attendance-list').getByRole('checkbox', { name: 'Anna' }).check();
  await anna.page.locator('.attendance-list').getByRole('checkbox', { name: 'Bram' }).check();
  await anna.page.locator('.agenda-steps').getByRole('checkbox', { name: /Vorm het buurtteam/ }).check();
  await anna.page.locator('#decision-text').fill('We beginnen met de daken aan de Lindelaan.');
  await anna.page.getByRole('button', { name: 'Besluit vastleggen' }).click();
  await anna.page.locator('#action-text').fill('Subsidieregeling van de gemeente uitzoeken');
  await anna.page.locator('#action-owner').selectOption({ label: 'Bram' });
  // Due in eighteen days, counted on the calendar where the phones are (eighteen times 24 hours
  // lands on the eighteenth day, summer time or not).
  const due = inAmsterdam(serverNow() + 18 * 86_400_000);
  await anna.page.locator('#action-due').fill(due.iso);
  await anna.page.getByRole('button', { name: 'Actie toevoegen' }).click();
  await expect(anna.page.locator('.action-list li')).toContainText('Subsidieregeling van de gemeente uitzoeken');
  await expect(anna.page.locator('.since-list')).toContainText('1 stap afgevinkt: Vorm het buurtteam');
  await anna.syncNow();

  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Overleg' }).click();
  await expect(bram.page.locator('.meeting-head h2')).toContainText('Aftrap');
  await expect(bram.page.locator('.attendance-list').getByRole('checkbox', { name: 'Anna' })).toBeChecked();
  await expect(bram.page.locator('.attendance-list').getByRole('checkbox', { name: 'Bram' })).toBeChecked();
  await expect(bram.page.locator('.decision-list')).toContainText('We beginnen met de daken aan de Lindelaan.');
  await expect(bram.page.locator('.action-list li')).toContainText(`Bram · uiterlijk ${due.day}`);
  // Bram finishes his action item; Anna sees it done.
  await bram.page.locator('.action-list').getByRole('checkbox').check();
  await bram.syncNow();
  await anna.syncNow();
  await expect(anna.page.locator('.action-list li')).toHaveAttribute('data-done', 'true');
  await bram.nav.getByRole('link', { name: 'Plan' }).click();
  await expect(step(bram, 'Vorm het buurtteam')).toHaveAttribute('data-done', 'true');
  await expect(step(bram, 'Vorm het buurtteam').locator('.step-meta')).toContainText('afgevinkt door Anna');

  // The minutes print on A4 without the forms and buttons.
  await anna.page.emulateMedia({ media: 'print' });
  await expect(anna.page.locator('#decision-text')).toBeHidden();
  await expect(anna.page.locator('.main-nav')).toBeHidden();
  await expect(anna.page.locator('.decision-list')).toBeVisible();
  const pdf = await anna.page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(1000);
  await anna.page.context().close();
  await bram.page.context().close();
});

test('erasing a resident on one phone removes their data from the other', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-5 oneven', '3581 AB', 3);
  await openDoor(anna, '3');
  await anna.page.getByRole('dialog').getByText('Wil informatie', { exact: true }).click();
  await anna.page.locator('#visit-note').fill('Heeft een hond, belt terug');
  await anna.page.getByRole('switch').check();
  await anna.page.locator('#resident-name').fill('Mevrouw de Vries');
  await anna.page.getByRole('checkbox', { name: 'Uitnodigingen voor buurtbijeenkomsten' }).check();
  await anna.page.getByRole('checkbox', { name: 'Bellen' }).check();
  await anna.page.locator('#resident-phone').fill('06 1234 5678');
  await anna.page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(anna.page.getByRole('dialog')).toHaveCount(0);
  await anna.syncNow();

  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  // Bram starts a second conversation at the door and leaves it unsaved.
  await leaveDraft(bram, '3');
  await openDoor(bram, '3');
  await bram.page.getByRole('link', { name: 'Geschiedenis' }).click();
  await expect(bram.page.locator('.history')).toContainText('Heeft een hond');
  await expect(bram.page.locator('.history-consent')).toContainText('Mevrouw de Vries 06 1234 5678');

  await openDoor(anna, '3');
  await anna.page.getByRole('link', { name: 'Geschiedenis' }).click();
  await anna.page.getByRole('button', { name: 'Gegevens van de bewoner wissen' }).click();
  await anna.page.getByRole('button', { name: 'Ja, wissen' }).click();
  await expect(anna.page.locator('.history')).not.toContainText('Heeft een hond');
  await anna.syncNow();

  await bram.syncNow();
  await expect(bram.page.locator('.history')).not.toContainText('Heeft een hond');
  await expect(bram.page.locator('.history-consent')).not.toContainText('Mevrouw de Vries');
  await expect(bram.page.locator('.history-consent')).not.toContainText('06 1234 5678');
  // The erasure ended the consent on Bram's phone too, and took his unsaved draft about her.
  // It says so, rather than suggesting to erase what is gone already.
  await expect(bram.page.locator('.history-consent')).toContainText('de gegevens van de bewoner zijn gewist');
  await expect(bram.page.locator('.history-consent')).not.toContainText('Ingetrokken op');
  await expect(bram.page.locator('.history-consent').getByRole('button', { name: 'Intrekken' })).toHaveCount(0);
  expect(await drafts(bram)).toBe('');
  // The visit itself stays: that somebody asked for information.
  await expect(bram.page.locator('.history')).toContainText('Wil informatie');
  await anna.page.context().close();
  await bram.page.context().close();
});

test('the exports download as CSV files a Dutch spreadsheet opens', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await addRange(app, 'Lindelaan', '1-5 oneven', '3581 AB', 3);
  const before = serverNow();
  await door(app, '1').getByRole('button', { name: /^Niet thuis, / }).click();
  const after = serverNow();
  await page.getByRole('link', { name: 'Instellingen' }).click();
  await expect(app.heading).toHaveText('Instellingen');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Adressen' }).click();
  const file = await download;
  // Named by today and stamped with the time of the visit, as the clock on the wall in
  // Amsterdam said (summer time or not), to the minute.
  expect(file.suggestedFilename()).toBe(`buurtbel-adressen-${inAmsterdam(after).iso}.csv`);
  const bytes = await (await file.createReadStream()).toArray();
  const text = Buffer.concat(bytes).toString('utf8');
  expect(text.startsWith('\uFEFFStraat;Huisnummer;Huisletter;')).toBeTruthy();
  const lines = text.split('\r\n');
  const stamps = [inAmsterdam(before).minute, inAmsterdam(after).minute];
  expect(stamps.map((at) => `Lindelaan;1;;;3581 AB;1;Niet thuis;${at};nee`)).toContain(lines[1]);
  expect(lines.filter((l) => l.startsWith('Lindelaan;')).length).toBe(3);
});

test('on a laptop a step is dragged to its new place in the plan', async ({ browser, baseURL }) => {
  const context = await phoneContext(browser, { baseURL, viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  const page = await context.newPage();
  const app = new AppPage(page);
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await startProject(app, 'Leeg plan');
  const titles = () => page.locator('.phase').first().locator('li.step label').allTextContents();
  expect(await titles()).toEqual(['Vorm het buurtteam', 'Eerste teamoverleg']);
  await step(app, 'Eerste teamoverleg').dragTo(step(app, 'Vorm het buurtteam'));
  await expect.poll(titles).toEqual(['Eerste teamoverleg', 'Vorm het buurtteam']);
  // Kept after a reload: it was recorded, not only drawn.
  await page.reload();
  await expect.poll(titles).toEqual(['Eerste teamoverleg', 'Vorm het buurtteam']);
  await context.close();
});
