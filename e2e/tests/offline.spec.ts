import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { addRange, AppPage, door, expect, newPhone, serverLog, teamOfTwo, test } from './app';
import { OwnServer } from './server';

const dist = resolve(__dirname, '..', '..', 'dist');

/** Waits until the service worker controls the page (it claims the page when it first activates). */
async function controlled(app: AppPage) {
  await app.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
}

/** The paths in the service worker's caches. */
async function cached(app: AppPage): Promise<string[]> {
  return app.page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths.sort();
  });
}

/** Every file of the build, as the service worker should precache it. */
function buildOutput(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => f.toString())
    .filter((f) => statSync(join(dir, f)).isFile())
    .filter((f) => f !== 'sw.js' && f !== 'precache.json' && !f.endsWith('.br') && !f.endsWith('.gz'))
    .map((f) => '/' + relative(dir, join(dir, f)).split('\\').join('/'))
    .sort();
}

test('the precache list is exactly the build output, and the cache holds it after the first visit', async ({ app }) => {
  const worker = readFileSync(join(dist, 'sw.js'), 'utf8');
  const listed = JSON.parse(worker.match(/const PRECACHE = (\[.*\]);/)![1]);
  expect(listed).toEqual(buildOutput(dist));
  expect(listed).toContain('/index.html');
  expect(listed.some((p: string) => p.endsWith('_bg.wasm'))).toBeTruthy();
  await app.open('/');
  await controlled(app);
  expect(await cached(app)).toEqual(listed);
});

test('the app opens offline, keeps working, and what was done offline reaches the server exactly once', async ({ browser, baseURL, request }) => {
  const anna = await newPhone(browser, baseURL);
  const bram = await newPhone(browser, baseURL);
  await teamOfTwo(anna, bram);
  await controlled(anna);
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  await addRange(anna, 'Lindelaan', '1-23 oneven', '3581 AB', 12);
  await anna.nav.getByRole('link', { name: 'Plan' }).click();
  await anna.page.getByRole('button', { name: 'Nieuw project' }).click();
  await anna.page.getByRole('button', { name: 'Project starten' }).click();
  await expect(anna.page.locator('.phase').first()).toBeVisible();
  await anna.syncNow();

  await anna.page.context().setOffline(true);
  await anna.page.reload();
  await expect(anna.heading).toHaveText('Stappenplan');
  await expect(anna.page.locator('li.step').first()).toBeVisible();
  await anna.page.locator('li.step').filter({ hasText: 'Vorm het buurtteam' }).getByRole('checkbox').check();
  await anna.nav.getByRole('link', { name: 'Looplijst' }).click();
  for (const n of ['1', '3', '5', '7', '9', '11', '13', '15', '17', '19']) {
    await door(anna, n).getByRole('button', { name: /^Niet thuis, / }).click();
    await expect(door(anna, n).locator('.chip')).toContainText('Niet thuis');
  }
  await expect(anna.syncStatus).toContainText('11 wijzigingen wachten');
  // A reload offline loses nothing.
  await anna.page.reload();
  await expect(door(anna, '19').locator('.chip')).toContainText('Niet thuis');

  await anna.page.context().setOffline(false);
  await anna.syncNow();
  const session = await anna.session();
  const ops = await serverLog(request, baseURL!, session.device.token);
  const mine = ops.filter((op) => op.author.device === session.device.id);
  const visits = mine.filter((op) => 'visit_log' in op.payload);
  expect(visits).toHaveLength(10);
  expect(mine.filter((op) => 'step_done' in op.payload)).toHaveLength(1);
  const ids = new Set(ops.map((op) => JSON.stringify(op)));
  expect(ids.size).toBe(ops.length);

  await bram.syncNow();
  await bram.nav.getByRole('link', { name: 'Looplijst' }).click();
  await expect(door(bram, '19').locator('.chip')).toContainText('Niet thuis');
  await bram.nav.getByRole('link', { name: 'Plan' }).click();
  await expect(bram.page.locator('li.step').filter({ hasText: 'Vorm het buurtteam' })).toHaveAttribute('data-done', 'true');
  await anna.page.context().close();
  await bram.page.context().close();
});

test('answers of the API never come from the service worker', async ({ app, page }) => {
  await app.open('/');
  await app.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await controlled(app);
  await app.syncNow();
  expect((await cached(app)).filter((p) => p.startsWith('/api'))).toEqual([]);
  await page.context().setOffline(true);
  const answer = await page.evaluate(() =>
    fetch('/api/health/ready').then(
      (r) => `answered ${r.status}`,
      () => 'no answer',
    ),
  );
  expect(answer).toBe('no answer');
  await page.context().setOffline(false);
});

test('Chromium reports the app installable', async ({ playwright, baseURL }) => {
  // A browser profile of its own: Chromium never offers to install from an incognito one.
  const profile = mkdtempSync(join(tmpdir(), 'buurtbel-profile-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    baseURL,
    viewport: { width: 390, height: 844 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const app = new AppPage(page);
    await app.open('/');
    await controlled(app);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a new version deployed while the app is open shows a banner, and updating keeps what was typed', async ({ browser }) => {
  // A copy of the build, so this journey can deploy a "new version" of it.
  const copy = mkdtempSync(join(tmpdir(), 'buurtbel-dist-'));
  cpSync(dist, copy, { recursive: true });
  const server = new OwnServer(copy);
  await server.start();
  try {
    const phone = await newPhone(browser, server.url);
    await phone.open('/');
    await phone.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
    await controlled(phone);
    await phone.page.getByRole('link', { name: 'Adressen toevoegen' }).first().click();
    await phone.page.locator('#add-street').fill('Beukenlaan');
    await phone.page.locator('#add-numbers').fill('2-40 even');
    await expect(phone.page.locator('.update-banner')).toHaveCount(0);

    // Deploy: a service worker with another version (its compressed copies go with it).
    const sw = join(copy, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const VERSION = "[0-9a-f]+";/, 'const VERSION = "0000000000000001";'));
    for (const old of ['sw.js.br', 'sw.js.gz']) unlinkSync(join(copy, old));
    await phone.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.update()));

    const banner = phone.page.locator('.update-banner');
    await expect(banner).toContainText('Nieuwe versie beschikbaar');
    // Nothing reloads by itself: the form is as it was.
    await expect(phone.page.locator('#add-street')).toHaveValue('Beukenlaan');
    await banner.getByRole('button', { name: 'Vernieuwen' }).click();
    await phone.page.waitForFunction(() => navigator.serviceWorker.controller?.scriptURL.endsWith('/sw.js'));
    await expect(banner).toHaveCount(0);
    await expect(phone.page.locator('#add-street')).toHaveValue('Beukenlaan');
    await expect(phone.page.locator('#add-numbers')).toHaveValue('2-40 even');
    // The new version's cache is the only one left.
    const names = await phone.page.evaluate(() => caches.keys());
    expect(names).toEqual(['buurtbel-0000000000000001']);
    await phone.page.context().close();
  } finally {
    await server.dispose();
    rmSync(copy, { recursive: true, force: true });
  }
});
