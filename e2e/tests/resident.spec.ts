import { addRange, door, expect, newPhone, startProject, storedText, teamOfTwo, test } from './app';

test('a resident answers on the buurt page without JavaScript, and the team sees it at the door', async ({ browser, baseURL }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-9 oneven', '3581 AB', 5);
  await startProject(anna, 'AED in de buurt');

  // Anna opens the project's page; the plan shows its link and QR code, the flyer too.
  const section = anna.page.locator('.resident-page');
  await expect(section).toContainText('De buurtpagina is gesloten');
  await section.getByRole('button', { name: 'Buurtpagina openen' }).click();
  const link = section.locator('.invite-link a');
  await expect(link).toHaveText(/\/doe-mee\/[0-9a-z]{12}$/);
  await expect(section.getByRole('img', { name: 'QR-code van de buurtpagina' })).toBeVisible();
  const url = (await link.textContent())!;
  await anna.syncNow();

  // A resident scans the flyer: a phone browser with JavaScript off.
  const resident = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, locale: 'nl-NL' });
  const page = await resident.newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('AED in de buurt');
  await page.getByLabel('Postcode').fill('3581ab');
  await page.getByLabel('Huisnummer').fill('3');
  await page.getByLabel('Ik doe mee').check();
  await page.getByLabel('Ik zeg toe (euro)').fill('25');
  await page.getByLabel('Ik wil meedoen in het buurtteam').check();
  await page.getByLabel('Naam').fill('Fatima El Amrani');
  await page.getByLabel('E-mailadres').fill('fatima@example.nl');
  await page.getByLabel('Nieuws over dit project').check();
  await page.getByLabel('Per e-mail').check();
  await page.screenshot({ path: test.info().outputPath('resident-form.png'), fullPage: true });
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dank je wel!');
  const own = (await page.locator('.link a').textContent())!;

  // A neighbour from a house the list lacks answers too.
  const other = await resident.newPage();
  await other.goto(url);
  await other.getByLabel('Postcode').fill('3581 AB');
  await other.getByLabel('Huisnummer').fill('11');
  await other.getByLabel('Misschien: houd me op de hoogte').check();
  await other.getByRole('button', { name: 'Versturen' }).click();
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Dank je wel!');

  // Bram's phone, after a sync: the door shows the answer; the unknown address waits for him.
  await anna.syncNow();
  // The status may read "synced" from the sync before the one asked for: wait for the answer.
  await expect.poll(() => storedText(anna)).toContain('Fatima');
  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await expect(door(bram, '3')).toContainText('Aangemeld');
  await expect(door(bram, '3').locator('.chip')).toHaveAttribute('data-outcome', 'joins');
  // Its history says where the answer came from and what was pledged.
  await door(bram, '3').locator('.door-open').click();
  await bram.page.getByRole('dialog').getByRole('link', { name: 'Geschiedenis' }).click();
  await expect(bram.page.locator('.history-visit')).toContainText('de buurtpagina');
  await expect(bram.page.locator('.history-pledge')).toHaveText('Toezegging: 25 euro (AED in de buurt)');
  await bram.page.screenshot({ path: test.info().outputPath('history.png') });
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  const proposals = bram.page.locator('.proposals');
  await expect(proposals).toContainText('3581 AB 11');
  await expect(proposals.getByLabel('Straat bij 3581 AB 11')).toHaveValue('Lindelaan');
  await proposals.screenshot({ path: test.info().outputPath('proposals.png') });
  await proposals.getByRole('button', { name: 'Op de lijst: 3581 AB 11' }).click();
  await expect(proposals).toHaveCount(0);
  await expect(door(bram, '11')).toContainText('Aangemeld');
  await bram.page.screenshot({ path: test.info().outputPath('walk-list.png') });
  // The project's progress counts the pledge, once.
  await bram.nav.getByRole('link', { name: 'Plan' }).click();
  await expect(bram.page.locator('.target-line')).toHaveText('25 van 1500 euro');
  await bram.page.locator('.resident-page').scrollIntoViewIfNeeded();
  await bram.page.screenshot({ path: test.info().outputPath('plan.png') });
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();

  // The resident withdraws through their private link: the door forgets the answer.
  await page.goto(own);
  await expect(page.locator('.address')).toHaveText('Lindelaan 3, 3581 AB');
  await page.screenshot({ path: test.info().outputPath('own-answer.png'), fullPage: true });
  await page.getByRole('button', { name: 'Mijn antwoord intrekken' }).click();
  await expect(page.getByRole('status')).toHaveText('Je antwoord is ingetrokken.');
  // ... and asks for erasure: the team's erasure reaches every phone.
  await page.getByRole('button', { name: 'Wis mijn gegevens' }).click();
  await expect(page.getByRole('status')).toHaveText('Je gegevens zijn gewist.');
  for (const phone of [anna, bram]) {
    await phone.syncNow();
    expect(await storedText(phone)).not.toContain('Fatima');
    expect(await storedText(phone)).not.toContain('fatima@example.nl');
  }
  await bram.page.reload();
  await expect(door(bram, '3')).not.toContainText('aangemeld');
  await resident.close();
});
