// make audit: Lighthouse (mobile preset: a mid-range phone on a slow 4G connection, simulated)
// against the release build served by the real server. First a visit with nothing stored (the
// setup screen a new ambassador sees), then the pages of a team as its members see them: a
// team with addresses, a project and a meeting is made first in the same browser profile, and
// Lighthouse keeps that storage (so the service worker serves the app, as on their phones).
// Then a project's resident page (`/doe-mee/<code>`) as a resident opens it, with nothing
// stored, and last a coach's overview, a team's weeks and the organisation's step plans
// (`/begeleider`), signed in with the link scripts/audit.sh had the server's command make, and
// let in by the team. Prints each page's scores and metrics, and any accessibility or best-practice audit
// missed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from '../e2e/node_modules/playwright/index.mjs';

const base = process.argv[2];
if (!base) {
  console.error('usage: node audit/audit.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'buurtbel-audit-'));
// Port 0: Chromium picks a free port for Lighthouse and writes it into the profile.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--remote-debugging-port=0', '--no-first-run', '--disable-background-networking'],
  viewport: { width: 390, height: 844 },
});
const port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);

async function audit(path, keepStorage) {
  const result = await lighthouse(base + path, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
    disableStorageReset: keepStorage,
  });
  const lhr = result.lhr;
  const score = (id) => Math.round((lhr.categories[id].score ?? 0) * 100);
  const ms = (id) => lhr.audits[id].numericValue;
  const failing = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 1 && ['accessibility', 'best-practices'].some((c) => lhr.categories[c].auditRefs.some((r) => r.id === a.id && r.weight > 0)))
    .map((a) => a.id);
  return {
    page: path,
    performance: score('performance'),
    accessibility: score('accessibility'),
    'best-practices': score('best-practices'),
    FCP: `${(ms('first-contentful-paint') / 1000).toFixed(2)} s`,
    LCP: `${(ms('largest-contentful-paint') / 1000).toFixed(2)} s`,
    TBT: `${Math.round(ms('total-blocking-time'))} ms`,
    CLS: ms('cumulative-layout-shift').toFixed(3),
    failing: failing.join(' '),
  };
}

const rows = [];
try {
  rows.push(await audit('/', false));

  // A team as its members have it.
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(base + '/');
  await page.locator('#start-team').fill('Groen Lindelaan');
  await page.locator('#start-buurt').fill('Lindelaan');
  await page.locator('#start-name').fill('Anna');
  await page.locator('form').filter({ has: page.locator('#start-name') }).locator('button[type=submit]').click();
  await page.locator('nav.main-nav').waitFor();
  await page.goto(base + '/adressen/toevoegen');
  await page.locator('#add-street').fill('Lindelaan');
  await page.locator('#add-numbers').fill('1-99 oneven');
  await page.locator('#add-postcode').fill('3581 AB');
  await page.getByRole('button', { name: 'Bekijken' }).first().click();
  await page.getByRole('button', { name: '50 adressen toevoegen' }).click();
  await page.locator('.door').first().waitFor();
  await page.goto(base + '/plan');
  await page.getByRole('button', { name: 'Nieuw project' }).click();
  await page.getByRole('button', { name: 'Project starten' }).click();
  await page.locator('.phase').first().waitFor();
  // The project's resident page, opened and sent to the server.
  await page.getByRole('button', { name: 'Buurtpagina openen' }).click();
  const residentPage = new URL(await page.locator('.resident-page .invite-link a').textContent()).pathname;
  await page.locator('button.sync-status').click();
  await page.locator('button.sync-status[data-state=synced]').waitFor();
  await page.goto(base + '/overleg');
  await page.getByRole('button', { name: 'Overleg starten' }).click();
  await page.locator('.meeting').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  for (const path of ['/', '/team', '/plan', '/overleg', '/voortgang', '/instellingen']) {
    rows.push(await audit(path, true));
  }
  // What a resident sees after scanning the flyer: nothing of the app is stored for them.
  rows.push(await audit(residentPage, false));

  // A coach the team lets look along, signed in in the same browser (her session is a cookie).
  const link = process.env.BUURTBEL_AUDIT_COACH_LINK;
  if (link) {
    await page.goto(link);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    const code = (await page.locator('.code .big').textContent()).trim();
    await page.goto(base + '/team');
    const { device, team } = await page.evaluate(() => JSON.parse(localStorage.getItem('buurtbel.session')));
    const granted = await page.request.post(base + '/api/v1/coaches', {
      headers: { authorization: `Bearer ${device.token}` },
      data: { code },
    });
    if (granted.status() !== 201) throw new Error(`the team did not let the coach in: ${granted.status()}`);
    rows.push(await audit('/begeleider', true));
    rows.push(await audit(`/begeleider/team/${team.id}`, true));
    // The organisation's step plans: the list, and one plan's form, made from a theme.
    await page.goto(base + '/begeleider/plannen');
    await page.getByLabel('Naam (de titel waarmee een project start)').fill('Zon op elk dak');
    await page.getByLabel('Begin met de stappen en gesprekshulp van').selectOption({ label: 'Zonnepanelen' });
    await page.getByRole('button', { name: 'Stappenplan maken' }).click();
    await page.getByRole('button', { name: 'Opslaan als nieuwe versie' }).waitFor();
    const plan = new URL(page.url()).pathname;
    rows.push(await audit('/begeleider/plannen', true));
    rows.push(await audit(plan, true));
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

rows[0].page = '/ (first visit)';
console.table(rows.map(({ failing, ...figures }) => figures));
for (const row of rows.filter((r) => r.failing)) console.log(`${row.page}: not passed: ${row.failing}`);
const goals = rows.filter(
  (r) =>
    r.performance < 95 ||
    r.accessibility < 100 ||
    r['best-practices'] < 100 ||
    Number.parseFloat(r.LCP) > 2.0 ||
    Number.parseFloat(r.TBT) > 200,
);
console.log(goals.length === 0 ? 'audit: every page meets the goals' : `audit: ${goals.length} page(s) below the goals`);
