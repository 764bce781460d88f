import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { expect, newPhone, serverNow, startProject, test } from './app';
import { OwnServer } from './server';

const DAY_MS = 86_400_000;

// A coach (buurtbegeleider) follows two teams. The operator adds her with the server's command;
// she signs in with the link it prints, on a laptop and on her phone. Anna's team lets her look
// along from the app's team page, Joost's (at it for 25 days and stuck) through its team API. She gives Anna's team advice, which shows on the plan and the meeting agenda until
// the team marks it handled; then Anna's team ends the look along from the app.
test('a coach follows two teams, gives advice, and loses a team that ends it', async ({ browser }) => {
  // Four devices and a server of its own, each step about a second on a busy 2-core machine:
  // longer than the 30 s one journey gets.
  test.slow();
  const server = new OwnServer();
  await server.start();
  try {
    const link = execFileSync(OwnServer.binary, [
      '--database', server.database, 'coach', '--organisation', 'Buurtwerk Utrecht', '--name', 'Sanne de Vries', '--url', server.url,
    ]).toString().trim();
    expect(link).toMatch(/\/begeleider\/link\/[0-9a-f]{64}$/);

    const anna = await newPhone(browser, server.url);
    await anna.open('/');
    await anna.startTeam('Groen Lindelaan', 'Lindenbuurt', 'Anna');
    await startProject(anna, 'AED in de buurt');
    await anna.syncNow();
    const joost = await newPhone(browser, server.url);
    await joost.open('/');
    await joost.startTeam('Eikenteam', 'Eikenbuurt', 'Joost');
    await joost.syncNow();
    // A change a phone of Joost's team made 25 days ago arrives now: the team counts from then,
    // and nothing happened since.
    const { device: jd, member: jm } = await joost.session();
    const late = await joost.page.request.post(`${server.url}/api/v1/push`, {
      headers: { authorization: `Bearer ${jd.token}` },
      data: {
        protocol_version: 1,
        device: jd.id,
        ops: [{
          id: randomUUID(),
          hlc: { wall_ms: serverNow() - 25 * DAY_MS, counter: 0 },
          author: { member: jm.id, device: jd.id },
          payload: { team_update: { neighbourhood: 'Eikenbuurt' } },
        }],
      },
    });
    expect(late.status(), await late.text()).toBe(200);

    // The laptop: the link shows whom it signs in, and works once.
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
    const page = await laptop.newPage();
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Aanmelden als Sanne de Vries');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jouw buurtteams');
    await expect(page.getByText('Nog geen team laat je meekijken.')).toBeVisible();
    const code = (await page.locator('.code .big').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // Anna lets her look along from the team page; Joost's team through its API.
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    const card = anna.page.locator('section.coaches');
    await expect(card.getByText('Niemand kijkt mee.')).toBeVisible();
    await card.getByLabel('Code van je buurtbegeleider').fill(code.toLowerCase());
    await card.getByRole('button', { name: 'Laten meekijken' }).click();
    await expect(card).toContainText('Meekijken: Sanne de Vries, buurtbegeleider · Buurtwerk Utrecht');
    await card.scrollIntoViewIfNeeded();
    await anna.page.screenshot({ path: test.info().outputPath('team-coach-card-390.png') });
    const answer = await joost.page.request.post(`${server.url}/api/v1/coaches`, {
      headers: { authorization: `Bearer ${jd.token}` },
      data: { code },
    });
    expect(answer.status()).toBe(201);
    await page.reload();
    const cards = page.locator('article.card');
    await expect(cards).toHaveCount(2);
    await expect(cards.filter({ hasText: 'Groen Lindelaan' })).toContainText('AED in de buurt');
    await expect(cards.filter({ hasText: 'Groen Lindelaan' })).toContainText('Initiëren');
    await expect(cards.filter({ hasText: 'Eikenteam' })).toContainText('Nog geen project');
    // The stuck team comes first, with why.
    await expect(cards.first()).toContainText('Eikenteam');
    await expect(cards.first()).toContainText('Vastgelopen?');
    await expect(cards.first()).toContainText('25 dagen');
    await expect(page.locator('script')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('coach-overview-1280.png'), fullPage: true });

    await cards.filter({ hasText: 'Groen Lindelaan' }).getByRole('link', { name: /Verloop per week/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Groen Lindelaan · Lindenbuurt');
    await expect(page.getByRole('img', { name: /Deuren per week/ })).toBeVisible();
    await expect(page.getByRole('table')).toBeVisible();

    // Advice on the project: in the team's log, on Anna's plan and agenda until handled.
    await page.getByLabel('Waarover').selectOption({ label: 'AED in de buurt' });
    await page.getByLabel('Je advies').fill('Vraag de huisarts om een plek voor de AED.');
    await page.getByRole('button', { name: 'Advies geven' }).click();
    const advice = page.locator('ul.advice li');
    await expect(advice).toHaveCount(1);
    await expect(advice).toContainText('Vraag de huisarts om een plek voor de AED.');
    await expect(advice).toContainText('Nog open');
    await page.screenshot({ path: test.info().outputPath('coach-team-1280.png'), fullPage: true });
    await anna.syncNow();
    await anna.nav.getByRole('link', { name: 'Plan' }).click();
    const tip = anna.page.locator('.tips');
    await expect(tip).toContainText('Tip van je buurtbegeleider');
    await expect(tip).toContainText('Vraag de huisarts om een plek voor de AED.');
    await expect(tip).toContainText('Sanne de Vries');
    await anna.page.screenshot({ path: test.info().outputPath('plan-tip-390.png') });
    await anna.nav.getByRole('link', { name: 'Overleg' }).click();
    await anna.page.locator('#meeting-title').fill('Tweede overleg');
    await anna.page.getByRole('button', { name: 'Overleg starten' }).click();
    const agendaTip = anna.page.locator('.agenda .tips');
    await expect(agendaTip).toContainText('Vraag de huisarts om een plek voor de AED.');
    await agendaTip.scrollIntoViewIfNeeded();
    await anna.page.screenshot({ path: test.info().outputPath('agenda-tip-390.png') });
    await agendaTip.getByRole('button', { name: 'Afgehandeld: Vraag de huisarts om een plek voor de AED.' }).click();
    await expect(anna.page.locator('.agenda .tips')).toHaveCount(0);
    await anna.syncNow();
    await page.reload();
    await expect(advice).toContainText('Afgehandeld op');
    const teamPage = page.url();

    // Her phone: a link for another device, made on the laptop.
    await page.getByRole('link', { name: 'Terug naar al je teams' }).click();
    await page.getByRole('button', { name: 'Aanmeldlink maken' }).click();
    const second = (await page.locator('.link').textContent())!.trim();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL' });
    const mobile = await phone.newPage();
    await mobile.goto(second);
    await mobile.getByRole('button', { name: 'Aanmelden' }).click();
    await expect(mobile.locator('article.card')).toHaveCount(2);
    await mobile.screenshot({ path: test.info().outputPath('coach-overview-390.png'), fullPage: true });
    // The first link is used: it signs nobody in again.
    const again = await phone.newPage();
    await again.goto(link);
    await expect(again.getByRole('heading', { level: 1 })).toHaveText('Deze link werkt niet meer');

    // Anna's team ends it from the team page: gone from the overview and its page on both
    // devices.
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    await card.getByRole('button', { name: 'Meekijken van Sanne de Vries beëindigen' }).click();
    await expect(card.getByText('Niemand kijkt mee.')).toBeVisible();
    await mobile.reload();
    await expect(mobile.locator('article.card')).toHaveCount(1);
    await expect(mobile.locator('article.card')).toContainText('Eikenteam');
    const gone = await page.goto(teamPage);
    expect(gone?.status()).toBe(404);
    await expect(page.locator('body')).not.toContainText('Groen Lindelaan');
    await laptop.close();
    await phone.close();
  } finally {
    await server.dispose();
  }
});

// The organisation helps a team that lacks people and has its own step plans. Sanne introduces
// a volunteer for the role the team lacks; Anna invites him with one tap. Sanne makes the
// organisation's solar plan; Anna starts a project from it. Sanne's next versions are offered
// on the project's plan: Anna puts one off, and takes the next.
test('a coach introduces a volunteer and keeps a step plan the team starts from and updates', async ({ browser }) => {
  test.slow();
  const server = new OwnServer();
  await server.start();
  try {
    const link = execFileSync(OwnServer.binary, [
      '--database', server.database, 'coach', '--organisation', 'Buurtwerk Utrecht', '--name', 'Sanne de Vries', '--url', server.url,
    ]).toString().trim();
    const anna = await newPhone(browser, server.url);
    await anna.open('/');
    await anna.startTeam('Groen Lindelaan', 'Lindenbuurt', 'Anna');
    await anna.syncNow();
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
    const page = await laptop.newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    const code = (await page.locator('.code .big').textContent())!.trim();
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    const card = anna.page.locator('section.coaches');
    await card.getByLabel('Code van je buurtbegeleider').fill(code);
    await card.getByRole('button', { name: 'Laten meekijken' }).click();
    await expect(card).toContainText('Meekijken: Sanne de Vries');

    // A volunteer for a role, with his consent.
    await page.reload();
    await page.getByRole('link', { name: /Verloop per week/ }).click();
    await page.getByLabel('Naam van de vrijwilliger').fill('Piet Jansen');
    await page.getByLabel('Voor de rol').selectOption({ label: 'Verbinder' });
    await page.getByLabel('Telefoon of e-mail').fill('06 1234 5678');
    await page.getByRole('button', { name: 'Voorstellen' }).click();
    await expect(page.getByRole('alert')).toContainText('alleen voor met diens toestemming');
    await page.getByLabel('Deze persoon vindt het goed').check();
    await page.getByRole('button', { name: 'Voorstellen' }).click();
    const introduced = page.locator('#voorstellen ul li');
    await expect(introduced).toContainText('Piet Jansen · Verbinder · 06 1234 5678');
    await expect(introduced).toContainText('Nog niet uitgenodigd');

    // Anna sees him among the candidates and invites him with one tap.
    await anna.nav.getByRole('link', { name: 'Plan' }).click();
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    const candidate = anna.page.locator('.candidates li.introduced');
    await expect(candidate).toContainText('Piet Jansen (verbinder), voorgesteld door Sanne de Vries');
    await expect(candidate.getByRole('link', { name: '06 1234 5678' })).toHaveAttribute('href', 'tel:0612345678');
    await candidate.scrollIntoViewIfNeeded();
    await anna.page.screenshot({ path: test.info().outputPath('team-introduced-390.png') });
    await candidate.getByRole('button', { name: 'Piet Jansen uitnodigen' }).click();
    await expect(anna.page.locator('section.invite .invite-code')).toBeVisible();
    await expect(anna.page.locator('section.invite')).toContainText('1');
    await expect(candidate).toContainText('uitgenodigd');
    await page.reload();
    await expect(introduced).toContainText('Uitgenodigd op');

    // The organisation's own plan, started from the solar theme.
    await page.getByRole('link', { name: 'Terug naar al je teams' }).click();
    await page.getByRole('link', { name: 'Stappenplannen van je organisatie bekijken en bewerken' }).click();
    await expect(page.getByText('Je organisatie heeft nog geen eigen stappenplan.')).toBeVisible();
    await page.getByLabel('Naam (de titel waarmee een project start)').fill('Zon op elk dak');
    await page.getByLabel('Begin met de stappen en gesprekshulp van').selectOption({ label: 'Zonnepanelen' });
    await page.getByRole('button', { name: 'Stappenplan maken' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zon op elk dak');
    await expect(page.getByText(/^Versie 1 ·/)).toBeVisible();
    await expect(page.locator('script')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('coach-plan-1280.png') });

    // Anna starts a project from it, next to the built-in themes.
    await anna.nav.getByRole('link', { name: 'Plan' }).click();
    await anna.page.getByRole('button', { name: 'Nieuw project' }).click();
    const plans = anna.page.getByRole('group', { name: 'Stappenplannen van je organisatie' });
    await expect(plans.getByRole('radio', { name: 'Zon op elk dak' })).toBeVisible();
    await anna.page.screenshot({ path: test.info().outputPath('new-project-org-390.png') });
    await plans.getByRole('radio', { name: 'Zon op elk dak' }).check();
    await expect(anna.page.locator('#project-title')).toHaveValue('Zon op elk dak');
    await anna.page.getByRole('button', { name: 'Project starten' }).click();
    await expect(anna.page.getByText('Vorm het buurtteam', { exact: true })).toBeVisible();
    await anna.syncNow();

    // Version 2: the first step renamed, a step added after it.
    const save = async (changes: [string, string][]) => {
      await page.reload();
      for (const [field, value] of changes) {
        await page.locator(field).fill(value);
      }
      await page.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
    };
    const titles = page.locator('input[id$="-title"]');
    const steps = (await titles.count()) - 2;
    await save([
      ['#s0-title', 'Vorm het buurtteam, twee per rol'],
      [`#s${steps}-title`, 'Bel de netbeheerder'],
      [`#s${steps}-position`, '1.5'],
    ]);
    await expect(page.getByText(/^Versie 2 ·/)).toBeVisible();

    // Offered, never forced: Anna puts it off, and it stays off on her phone.
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    await anna.nav.getByRole('link', { name: 'Plan' }).click();
    const offer = anna.page.locator('.plan-offer');
    await expect(offer).toContainText('1 nieuw, 1 gewijzigd');
    await anna.page.screenshot({ path: test.info().outputPath('plan-offer-390.png') });
    await offer.getByRole('button', { name: 'Niet nu' }).click();
    await expect(offer).toHaveCount(0);
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    // The plan page asks again; only once the answer is in and drawn does "no card" mean
    // the offer stayed off.
    const asked = anna.page.waitForResponse((r) => r.url().includes('/api/v1/plans/offer'));
    await anna.nav.getByRole('link', { name: 'Plan' }).click();
    await (await asked).finished();
    await expect(anna.page.locator('.phase').first()).toBeVisible();
    await anna.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    await expect(offer).toHaveCount(0);

    // Version 3 adds a step more: offered again, and taken.
    await save([[`#s${steps + 1}-title`, 'Kies samen een installateur']]);
    await expect(page.getByText(/^Versie 3 ·/)).toBeVisible();
    await anna.nav.getByRole('link', { name: 'Team' }).click();
    await anna.nav.getByRole('link', { name: 'Plan' }).click();
    await expect(offer).toContainText('2 nieuw, 1 gewijzigd');
    await offer.getByRole('button', { name: 'Overnemen' }).click();
    await expect(anna.page.getByText('Het stappenplan is bijgewerkt.')).toBeVisible();
    await expect(anna.page.getByText('Vorm het buurtteam, twee per rol', { exact: true })).toBeVisible();
    await expect(anna.page.getByText('Bel de netbeheerder', { exact: true })).toBeVisible();
    await expect(anna.page.getByText('Kies samen een installateur', { exact: true })).toBeVisible();
    await laptop.close();
  } finally {
    await server.dispose();
  }
});
