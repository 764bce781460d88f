import { test, expect } from './app';

test('the shell opens in Dutch on a phone', async ({ app, page }) => {
  await app.open('/');
  await expect(page).toHaveTitle('Buurtbel');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  // A phone in no team yet is asked to join one or start one.
  await expect(app.heading).toHaveText('Welkom bij Buurtbel');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await expect(app.nav).toHaveAttribute('aria-label', 'Hoofdmenu');
  expect(await app.navLabels()).toEqual(['Looplijst', 'Team', 'Plan', 'Overleg', 'Voortgang']);
  await expect(app.heading).toHaveText('Looplijst');
  // The navigation sits inside the phone's screen, where a thumb reaches it.
  const box = await app.nav.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y + box!.height).toBeLessThanOrEqual(844);
  expect(box!.width).toBeLessThanOrEqual(390);
});

test('switching to English changes every text and survives a reload', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Zon op Eikenstraat', 'Eikenstraat', 'Piet');
  await expect(app.languageSwitch).toHaveText('English');
  await app.languageSwitch.click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(app.nav).toHaveAttribute('aria-label', 'Main menu');
  expect(await app.navLabels()).toEqual(['Walk list', 'Team', 'Plan', 'Meetings', 'Progress']);
  await expect(app.heading).toHaveText('Walk list');
  await expect(app.languageSwitch).toHaveText('Nederlands');

  await page.reload();
  await expect(app.languageSwitch).toHaveText('Nederlands');
  await expect(app.heading).toHaveText('Walk list');

  // A plan started in English gets the template's English steps and guide, which come with the
  // other English texts (the app's own build has only the Dutch).
  await app.nav.getByRole('link', { name: 'Plan' }).click();
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByRole('button', { name: 'Start the project' }).click();
  await expect(page.locator('li.step').first()).toContainText('Form the buurt team');
  await expect(page.locator('li.step')).not.toContainText(['Vorm het buurtteam']);
});

test('pages open from the navigation and from their address', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('AED Molenwijk', 'Molenwijk', 'Fatima');
  await app.nav.getByRole('link', { name: 'Overleg' }).click();
  await expect(page).toHaveURL(/\/overleg$/);
  await expect(app.heading).toHaveText('Overleg');
  await page.goBack();
  await expect(app.heading).toHaveText('Looplijst');

  // A reload on an app route is answered by the server with the app.
  await app.open('/voortgang');
  await expect(app.heading).toHaveText('Voortgang');
  // The English paths of earlier versions still open their page.
  await app.open('/dashboard');
  await expect(app.heading).toHaveText('Voortgang');
  await expect(app.nav.getByRole('link', { name: 'Voortgang' })).toHaveAttribute('aria-current', 'page');
});

test('the server answers health checks next to the app', async ({ request }) => {
  const live = await request.get('/api/health');
  expect(live.ok()).toBeTruthy();
  expect(await live.json()).toMatchObject({ status: 'ok' });
  const ready = await request.get('/api/health/ready');
  expect(ready.ok()).toBeTruthy();
});

test('the app runs under the server\'s Content-Security-Policy without a violation', async ({ app, page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const answer = await page.goto('/');
  expect(answer?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await expect(app.languageSwitch).toBeVisible();
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await app.teamPage();
  await page.getByLabel('Verbinder').check();
  await expect(page.locator('.member-roles')).toHaveText('Verbinder');
  expect(violations).toEqual([]);
});

test('on a first visit the largest paint is the static shell\'s introduction, not the app\'s', async ({ browser, baseURL }) => {
  // The wasm arrives two seconds late. A browser takes an element as the largest paint only
  // when it first paints it: had the shell grown a placeholder's text, the largest paint would
  // have been the app's own paragraph, after the wasm.
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  let released = 0;
  await page.route('**/*_bg.wasm', async (route) => {
    await new Promise((done) => setTimeout(done, 2000));
    released = Date.now();
    await route.continue();
  });
  await page.addInitScript(() => {
    const seen: { at: number; text: string }[] = [];
    (window as unknown as { lcp: typeof seen }).lcp = seen;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { element?: Element })[]) {
        seen.push({ at: performance.timeOrigin + e.startTime, text: e.element?.textContent ?? '' });
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Team beginnen' })).toBeVisible();
  const entries = await page.evaluate(() => (window as unknown as { lcp: { at: number; text: string }[] }).lcp);
  const last = entries[entries.length - 1];
  expect(last.text).toContain('Doe mee met je buurtteam');
  expect(released).toBeGreaterThan(0);
  expect(last.at, 'painted before the wasm was sent').toBeLessThan(released);
  await context.close();
});

test('before the wasm arrives, the static shell paints the heading of the page being opened', async ({ browser, baseURL }) => {
  // The wasm never arrives (and no service worker brings it from its cache): what shows is the
  // static shell alone.
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.route('**/*_bg.wasm', (route) => route.abort());
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welkom bij Buurtbel');
  await expect(page.locator('.intro')).toContainText('Doe mee met je buurtteam');
  await expect(page.locator('.main-nav')).toBeHidden();

  // A phone in a team, in English, opening the plan.
  await page.evaluate(() => {
    localStorage.setItem('buurtbel.session', '{}');
    localStorage.setItem('buurtbel.locale', 'en');
  });
  await page.goto('/plan');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Step plan');
  await expect(page.locator('.intro')).toHaveText("Work through your project's step plan together.");
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('.main-nav a[aria-current=page]')).toHaveText('Plan');
  await expect(page.locator('.main-nav a').first()).toHaveText('Walk list');
  await context.close();
});
