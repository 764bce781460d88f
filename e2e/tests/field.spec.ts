import { resolve } from 'node:path';
import { AppPage, addRange, door, expect, newPhone, openDoor, serverLog, teamOfTwo, test } from './app';

const sample = resolve(__dirname, '..', 'fixtures', 'voorbeeldbuurt.csv');

test('a street is added by range, in walking order, and a range twice adds nothing', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await expect(page.locator('.empty-state')).toContainText('Nog geen adressen');
  await addRange(app, 'Lindelaan', '1-45 oneven', '3581ab', 23);
  await expect(page.locator('.street').first()).toHaveText('Lindelaan · oneven · nog 23 te gaan');
  await expect(page.locator('.door-number').first()).toHaveText('1');
  await expect(page.locator('.door-number').nth(1)).toHaveText('3');

  await addRange(app, 'Lindelaan', '2-30 even', '3581 AB', 15);
  // The even side comes after the odd one: jump there.
  await page.locator('#walk-jump').fill('30');
  await page.getByRole('button', { name: 'Ga' }).click();
  await expect(page.locator('.street', { hasText: 'Lindelaan · even · nog 15 te gaan' })).toBeVisible();
  await expect(door(app, '30')).toBeInViewport();

  await addRange(app, 'Lindelaan', '12a-12d', '3581 AB', 4);
  await page.getByRole('link', { name: 'Adressen toevoegen' }).first().click();
  await page.locator('#add-street').fill('lindelaan');
  await page.locator('#add-numbers').fill('1-45 oneven');
  await page.locator('#add-postcode').fill('3581AB');
  await page.getByRole('button', { name: 'Bekijken' }).first().click();
  await expect(page.locator('.preview-counts')).toContainText('0 nieuw');
  await expect(page.locator('.preview-counts')).toContainText('23 staan er al');
  await expect(page.getByRole('button', { name: '0 adressen toevoegen' })).toBeDisabled();

  // A bad range is marked at its field and loses nothing typed.
  await page.locator('#add-numbers').fill('1-45 oneven en zo');
  await page.getByRole('button', { name: 'Bekijken' }).first().click();
  await expect(page.locator('#add-numbers-error')).not.toBeEmpty();
  await expect(page.locator('#add-numbers')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#add-street')).toHaveValue('lindelaan');
});

test('the sample buurt is imported from its CSV with a report, and importing again adds nothing', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Buurtteam Voorbeeld', 'Voorbeeldbuurt', 'Fatima');
  await page.getByRole('link', { name: 'Adressen toevoegen' }).first().click();
  await page.locator('#add-file').setInputFiles(sample);
  await expect(page.locator('.preview-counts')).toContainText('892 nieuw');
  await expect(page.locator('.preview-counts')).toContainText('0 regels kloppen niet');
  await page.getByRole('button', { name: '892 adressen toevoegen' }).click();
  await expect(app.heading).toHaveText('Looplijst');
  await expect(page.locator('.door').first()).toBeVisible();
  const streets = await page.locator('#walk-street option').count();
  expect(streets).toBeGreaterThan(5);

  await page.getByRole('link', { name: 'Adressen toevoegen' }).first().click();
  await page.locator('#add-file').setInputFiles(sample);
  await expect(page.locator('.preview-counts')).toContainText('0 nieuw');
  await expect(page.locator('.preview-counts')).toContainText('892 staan er al');
  // The buttons come before the list of lines, which has no scroll box of its own to cut a line.
  // The preview is brought on screen, its buttons above the list of lines.
  await expect(page.locator('.preview h2')).toBeInViewport();
  await expect
    .poll(async () => (await page.locator('.preview h2').boundingBox())!.y - (await page.locator('.app-bar').boundingBox())!.height)
    .toBeGreaterThanOrEqual(0);
  const [cancel, firstLine] = await Promise.all(
    [page.getByRole('button', { name: 'Annuleren' }), page.locator('.preview-lines li').first()].map((l) => l.boundingBox()),
  );
  expect(cancel!.y).toBeLessThan(firstLine!.y);
  const list = await page.locator('.preview-lines').evaluate((ul) => [ul.scrollHeight, ul.clientHeight]);
  expect(list[0]).toBeLessThanOrEqual(list[1]);
  await expect(page.locator('.preview-lines li')).toHaveCount(50);
  await page.screenshot({ path: test.info().outputPath('import-lines.png') });

  // A file as a spreadsheet exports it, with mistakes: each bad line is named, the rest is kept.
  const messy = [
    'Postcode;Straat;Huisnummer;Huisletter;Toevoeging;Woonplaats',
    '3581 BA;Nieuwe Gracht;1;;;Utrecht',
    '3581BA;"Nieuwe Gracht";2;a;;Utrecht',
    '3581 BA;Nieuwe Gracht;drie;;;Utrecht',
    '35811 BA;Nieuwe Gracht;4;;;Utrecht',
    '',
    '3581 BA;Nieuwe Gracht;5;ab;;Utrecht',
    '3581 BA;Nieuwe Gracht;1;;;Utrecht',
    '3581 BA;;6;;;Utrecht',
  ].join('\r\n');
  await page.locator('#add-file').setInputFiles({
    name: 'adressen.csv',
    mimeType: 'text/csv',
    buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(messy, 'utf8')]),
  });
  await expect(page.locator('.preview-counts')).toContainText('2 nieuw');
  await expect(page.locator('.preview-counts')).toContainText('1 dubbel in het bestand');
  await expect(page.locator('.preview-counts')).toContainText('4 regels kloppen niet');
  const lines = page.locator('.preview-lines li');
  await expect(lines.filter({ hasText: 'Regel 4: huisnummer "drie" is geen getal' })).toHaveCount(1);
  await expect(lines.filter({ hasText: 'Regel 5: postcode "35811 BA" klopt niet' })).toHaveCount(1);
  await expect(lines.filter({ hasText: 'Regel 7: huisletter "ab" is geen enkele letter' })).toHaveCount(1);
  await expect(lines.filter({ hasText: 'Regel 9: geen straat' })).toHaveCount(1);
  await expect(lines.filter({ hasText: 'Regel 8: staat ook op regel 2' })).toHaveCount(1);
  await page.getByRole('button', { name: '2 adressen toevoegen' }).click();
  await expect(app.heading).toHaveText('Looplijst');
  await page.locator('#walk-street').selectOption({ label: 'Nieuwe Gracht' });
  await expect(page.locator('.door-number')).toHaveText(['1', '2a']);
});

test('a street walked with the server unreachable is kept through a reload and reaches the other phone once', async ({ browser, baseURL, request }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-19 oneven', '3581 AB', 10);
  await anna.syncNow();

  // The API is unreachable; the app itself is still served.
  await anna.page.context().route('**/api/**', (route) => route.abort('internetdisconnected'));
  // A screen reader hears which door each "Niet thuis" is for.
  await expect(door(anna, '3').getByRole('button', { name: /^Niet thuis/ })).toHaveAccessibleName('Niet thuis, Lindelaan 3');
  await door(anna, '1').getByRole('button', { name: 'Niet thuis, Lindelaan 1', exact: true }).click();
  await expect(door(anna, '1').locator('.chip')).toContainText('Niet thuis');
  await openDoor(anna, '3');
  await anna.page.getByRole('dialog').getByRole('button', { name: 'Geen interesse' }).click();
  await expect(door(anna, '3').locator('.chip')).toContainText('Geen interesse');
  await openDoor(anna, '5');
  await anna.page.getByRole('dialog').getByText('Geïnteresseerd', { exact: true }).click();
  await anna.page.locator('#visit-note').fill('Wil eerst de avond afwachten');
  await anna.page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(door(anna, '5').locator('.chip')).toContainText('Geïnteresseerd');
  await expect(anna.syncStatus).toContainText('3 wijzigingen wachten');

  await anna.page.reload();
  await expect(anna.heading).toHaveText('Looplijst');
  await expect(door(anna, '1').locator('.chip')).toContainText('Niet thuis');
  await expect(door(anna, '3').locator('.chip')).toContainText('Geen interesse');
  await expect(door(anna, '5').locator('.chip')).toContainText('Geïnteresseerd');
  await expect(anna.page.locator('.street').first()).toContainText('nog 7 te gaan');
  await expect(anna.syncStatus).toContainText('3 wijzigingen wachten');

  await anna.page.context().unroute('**/api/**');
  await anna.syncNow();
  await anna.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await bram.syncNow();
  await expect(door(bram, '1').locator('.chip')).toContainText('Niet thuis');
  await expect(door(bram, '3').locator('.chip')).toContainText('Geen interesse');
  await expect(door(bram, '5').locator('.chip')).toContainText('Geïnteresseerd');
  await expect(bram.page.locator('.street').first()).toContainText('nog 7 te gaan');

  const session = await anna.session();
  const visits = (await serverLog(request, baseURL!, session.device.token)).filter((op) => 'visit_log' in op.payload);
  expect(visits).toHaveLength(3);
  await anna.page.context().close();
  await bram.page.context().close();
});

test('several doors are marked not home at once, and undone from the snackbar', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await addRange(app, 'Lindelaan', '1-19 oneven', '3581 AB', 10);
  await page.getByRole('button', { name: 'Selecteer' }).click();
  for (const n of ['1', '5', '9']) await door(app, n).locator('.door-open').click();
  await expect(door(app, '5').locator('.door-open')).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Niet thuis (3)' }).click();
  for (const n of ['1', '5', '9']) await expect(door(app, n).locator('.chip')).toContainText('Niet thuis');
  await expect(door(app, '3').locator('.chip')).toHaveText('Nog niet geweest');
  await expect(page.locator('.street').first()).toContainText('nog 7 te gaan');
  await expect(page.locator('.snackbar')).toContainText('Niet thuis vastgelegd bij 3 deuren');
  await page.getByRole('button', { name: 'Ongedaan maken' }).click();
  for (const n of ['1', '5', '9']) await expect(door(app, n).locator('.chip')).toHaveText('Nog niet geweest');
  await expect(page.locator('.street').first()).toContainText('nog 10 te gaan');
});

test('the undo bar covers none of the doors still to tap', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await addRange(app, 'Lindelaan', '1-39 oneven', '3581 AB', 20);
  // The "Niet thuis" buttons a thumb could tap without the undo bar (their middle on screen and
  // not under the navigation) that are under it while it shows.
  const covered = () =>
    page.evaluate(() => {
      const place = document.querySelector<HTMLElement>('.snackbar-place')!;
      const buttons = [...document.querySelectorAll('.door-not-home')];
      const hits = () =>
        buttons.map((button) => {
          const r = button.getBoundingClientRect();
          return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        });
      place.style.visibility = 'hidden';
      const without = hits();
      place.style.visibility = '';
      const withBar = hits();
      return buttons
        .filter((button, i) => without[i] === button && withBar[i]?.closest('.snackbar'))
        .map((button) => button.getAttribute('aria-label'));
    });
  // Walking down the street, a tap per door, the undo bar shown after each.
  for (const n of ['1', '3', '5', '7', '9', '11', '13', '15', '17']) {
    await door(app, n).getByRole('button', { name: `Niet thuis, Lindelaan ${n}`, exact: true }).click();
    await expect(page.locator('.snackbar')).toContainText('Niet thuis vastgelegd');
    expect(await covered()).toEqual([]);
  }
  // Its undo is still at hand.
  await page.getByRole('button', { name: 'Ongedaan maken' }).click();
  await expect(door(app, '17').locator('.chip')).toHaveText('Nog niet geweest');
  await page.screenshot({ path: test.info().outputPath('undo-bar.png') });
});

test('a street on paper: printed on A4, then entered back door by door', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await addRange(app, 'Lindelaan', '1-9 oneven', '3581 AB', 5);
  await addRange(app, 'Eikenlaan', '2-6 even', '3581 AC', 3);
  await page.getByRole('link', { name: 'Papieren lijst' }).click();
  await expect(app.heading).toHaveText('Papieren looplijst');
  await page.locator('#paper-street').selectOption({ label: 'Lindelaan' });
  await expect(page.locator('table.paper tbody th')).toHaveText(['1', '3', '5', '7', '9']);

  // On paper: a line per door with a box per outcome, the team and street on top, nothing of
  // the app around it.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.main-nav')).toBeHidden();
  await expect(page.locator('.paper-enter')).toBeHidden();
  await expect(page.locator('.paper-head')).toContainText('Groen Lindelaan · Lindelaan · Datum:');
  await expect(page.locator('table.paper thead th')).toHaveText(['Nr.', 'Niet thuis', 'Geen interesse', 'Geïnteresseerd', 'Doet mee', 'Later terugkomen', 'Notitie']);
  await page.screenshot({ path: test.info().outputPath('paper-print.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4', path: test.info().outputPath('lindelaan.pdf') });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 390, height: 844 });

  // Entered back the next day: the list was walked the evening before.
  const today = await page.locator('#paper-date').inputValue();
  const walked = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const months = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
  const shown = `${Number(walked.slice(8))} ${months[Number(walked.slice(5, 7)) - 1]}`;
  await page.locator('#paper-date').fill(walked);
  await page.getByRole('button', { name: 'Niet thuis, Lindelaan 1', exact: true }).click();
  await page.getByRole('button', { name: 'Doet mee, Lindelaan 5', exact: true }).click();
  await page.getByRole('button', { name: 'Geen interesse, Lindelaan 7', exact: true }).click();
  // A slip of the thumb: another box on the same line replaces the first.
  await page.getByRole('button', { name: 'Geïnteresseerd, Lindelaan 7', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Geen interesse, Lindelaan 7', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await page.screenshot({ path: test.info().outputPath('paper-enter.png') });
  await page.getByRole('button', { name: '3 deuren opslaan' }).click();
  await expect(page.locator('.snackbar')).toContainText('3 deuren van de papieren lijst opgeslagen');
  await expect(page.locator('.paper-box[aria-pressed=true]')).toHaveCount(0);

  await page.getByRole('link', { name: 'Terug naar de looplijst' }).click();
  await expect(door(app, '1').locator('.chip')).toHaveText(`Niet thuis · ${shown}`);
  await expect(door(app, '5').locator('.chip')).toContainText('Doet mee');
  await expect(door(app, '7').locator('.chip')).toContainText('Geïnteresseerd');
  await expect(door(app, '3').locator('.chip')).toHaveText('Nog niet geweest');
  await expect(page.locator('.street').first()).toContainText('nog 2 te gaan');
});

test('streets per ambassador: a side assigned on one phone opens as "Mijn straten" on the other, on paper too, and the agenda names what nobody walks', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-6', '3581 AB', 6);
  await addRange(anna, 'Eikenlaan', '2-6 even', '3581 AC', 3);
  // Nobody walks anything yet: the list opens on all streets.
  await expect(anna.page.getByRole('button', { name: 'Alle', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // On the team page a choice per side of a street.
  await anna.teamPage();
  const sides = anna.page.locator('.street-sides li');
  await expect(sides.locator('label')).toHaveText([
    'Eikenlaan · even · nog 3 te gaan',
    'Lindelaan · oneven · nog 3 te gaan',
    'Lindelaan · even · nog 3 te gaan',
  ]);
  await anna.page.getByLabel('Lindelaan · oneven · nog 3 te gaan').selectOption({ label: 'Bram' });
  await anna.page.getByLabel('Eikenlaan · even · nog 3 te gaan').selectOption({ label: 'Anna' });
  await anna.page.locator('.streets').screenshot({ path: test.info().outputPath('streets-team.png') });
  await anna.syncNow();

  // Bram's walk list opens on his side of the Lindelaan.
  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await expect(bram.page.getByRole('button', { name: 'Mijn straten' })).toHaveAttribute('aria-pressed', 'true');
  await expect(bram.page.locator('.street')).toHaveText(['Lindelaan · oneven · nog 3 te gaan']);
  await expect(bram.page.locator('.door-number')).toHaveText(['1', '3', '5']);
  await bram.page.screenshot({ path: test.info().outputPath('streets-mine.png') });
  // Every street is one tap away.
  await bram.page.getByRole('button', { name: 'Alle', exact: true }).click();
  await expect(bram.page.locator('.door-number')).toHaveCount(9);
  await bram.page.getByRole('button', { name: 'Mijn straten' }).click();
  // His paper list is his streets: a heading where each begins, then its doors. It fits the
  // phone's width.
  await bram.page.getByRole('link', { name: 'Papieren lijst' }).click();
  await expect(bram.page.locator('#paper-street')).toHaveValue('');
  await expect(bram.page.locator('table.paper tbody th')).toHaveText(['Lindelaan', '1', '3', '5']);
  await expect(bram.page.locator('tr.paper-street')).toHaveCount(1);
  expect(await bram.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await bram.page.screenshot({ path: test.info().outputPath('paper-mine-390.png'), fullPage: true });

  // Handing it on is one choice, and the agenda says who walks what and what nobody walks.
  await anna.page.getByLabel('Lindelaan · oneven · nog 3 te gaan').selectOption({ label: 'Nog niemand' });
  await anna.nav.getByRole('link', { name: 'Overleg' }).click();
  await anna.page.getByRole('button', { name: 'Overleg starten' }).click();
  await expect(anna.page.locator('.agenda-streets li')).toHaveText([
    'Anna: Eikenlaan even · nog 3 te gaan',
    'Nog niemand: Lindelaan oneven, Lindelaan even · nog 6 te gaan',
  ]);
  await anna.syncNow();
  await bram.syncNow();
  await bram.page.getByRole('link', { name: 'Terug naar de looplijst' }).click();
  await expect(bram.page.locator('.empty-state')).toHaveText('Je loopt nog geen straat. Kies er een op de teampagina, bij ‘Wie loopt waar’.');
  await anna.page.context().close();
  await bram.page.context().close();
});

test('a visit undone on one phone is no longer counted on the other', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-9 oneven', '3581 AB', 5);
  await door(anna, '1').getByRole('button', { name: /^Niet thuis, / }).click();
  await anna.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await bram.syncNow();
  await expect(bram.page.locator('.street').first()).toContainText('nog 4 te gaan');
  await expect(door(bram, '1').locator('.chip')).toContainText('Niet thuis');

  // Undone from the address's history.
  await openDoor(anna, '1');
  await anna.page.getByRole('link', { name: 'Geschiedenis' }).click();
  await expect(anna.heading).toHaveText('Lindelaan 1');
  await anna.page.locator('.history-visit').getByRole('button', { name: 'Ongedaan maken' }).click();
  await expect(anna.page.locator('.history-visit')).toContainText('ongedaan gemaakt');
  await anna.syncNow();

  await bram.syncNow();
  await expect(bram.page.locator('.street').first()).toContainText('nog 5 te gaan');
  await expect(door(bram, '1').locator('.chip')).toHaveText('Nog niet geweest');
  await anna.page.context().close();
  await bram.page.context().close();
});

test('contact details are asked only behind consent, and withdrawing it is one tap', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await addRange(app, 'Lindelaan', '1-5 oneven', '3581 AB', 3);
  await openDoor(app, '3');
  await page.getByRole('dialog').getByText('Wil informatie', { exact: true }).click();
  await expect(page.locator('#visit-note')).toBeVisible();
  await expect(page.getByText('Geen gevoelige gegevens', { exact: false })).toBeVisible();
  await expect(page.locator('#resident-name')).toHaveCount(0);
  await page.getByRole('switch').check();
  await page.locator('#resident-name').fill('Mevrouw de Vries');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.locator('.sheet .form-error')).toHaveText('Kies waarvoor en hoe.');
  await page.getByRole('checkbox', { name: 'Uitnodigingen voor buurtbijeenkomsten' }).check();
  await page.getByRole('checkbox', { name: 'Bellen' }).check();
  await page.locator('#resident-phone').fill('06 1234 5678');
  // With consent open the sheet scrolls, and still shows which door it is and where to save.
  await page.locator('#resident-email').scrollIntoViewIfNeeded();
  await expect(page.locator('#sheet-title')).toBeInViewport();
  await expect(page.locator('#sheet-title')).toHaveText('Lindelaan 3');
  await expect(page.getByRole('button', { name: 'Opslaan' })).toBeInViewport();
  const sheetTop = await page.locator('.sheet').evaluate((sheet) => sheet.scrollTop);
  expect(sheetTop).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('visit-sheet-consent.png') });
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await openDoor(app, '3');
  await page.getByRole('link', { name: 'Geschiedenis' }).click();
  const consent = page.locator('.history-consent');
  await expect(consent).toContainText('Mevrouw de Vries 06 1234 5678');
  await consent.getByRole('button', { name: 'Intrekken' }).click();
  await expect(consent).toContainText('Ingetrokken op');
  await expect(consent).not.toContainText('Mevrouw de Vries');
  await expect(consent).not.toContainText('06 1234 5678');
});
