import { execFileSync } from 'node:child_process';

import { expect, newPhone, startProject, test } from './app';
import { OwnServer } from './server';

// A coach (buurtbegeleider) follows two teams. The operator adds her with the server's command;
// she signs in with the link it prints, on a laptop and on her phone. The teams let her look
// along with her code, through their team API (an admin's token), and one ends it again.
test('a coach signs in with her link and sees only the teams that let her look along', async ({ browser }) => {
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

    // Both teams let her look along; Joost's team has no project yet.
    const grant = async (app: typeof anna) => {
      const { device } = await app.session();
      const answer = await app.page.request.post(`${server.url}/api/v1/coaches`, {
        headers: { authorization: `Bearer ${device.token}` },
        data: { code: code.toLowerCase() },
      });
      expect(answer.status()).toBe(201);
    };
    await grant(anna);
    await grant(joost);
    await page.reload();
    const cards = page.locator('article.card');
    await expect(cards).toHaveCount(2);
    await expect(cards.filter({ hasText: 'Groen Lindelaan' })).toContainText('AED in de buurt');
    await expect(cards.filter({ hasText: 'Groen Lindelaan' })).toContainText('Initiëren');
    await expect(cards.filter({ hasText: 'Eikenteam' })).toContainText('Nog geen project');
    await expect(page.locator('script')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('coach-overview-1280.png'), fullPage: true });

    await cards.filter({ hasText: 'Groen Lindelaan' }).getByRole('link', { name: /Verloop per week/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Groen Lindelaan · Lindenbuurt');
    await expect(page.getByRole('img', { name: /Deuren per week/ })).toBeVisible();
    await expect(page.getByRole('table')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('coach-team-1280.png'), fullPage: true });
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

    // Anna's team ends it: gone from the overview and its page on both devices.
    const { device } = await anna.session();
    const list = await anna.page.request.get(`${server.url}/api/v1/coaches`, { headers: { authorization: `Bearer ${device.token}` } });
    const coach = (await list.json()).coaches[0];
    expect(coach.name).toBe('Sanne de Vries');
    const ended = await anna.page.request.delete(`${server.url}/api/v1/coaches/${coach.coach}`, {
      headers: { authorization: `Bearer ${device.token}` },
    });
    expect(ended.status()).toBe(204);
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
