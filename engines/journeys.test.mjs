// The cross-engine journeys: the same steps in WebKit (WebKitGTK, the engine of every iPhone
// browser) and Firefox, through WebDriver, against the real server. ENGINE picks the engine and
// DRIVER_PORT the WebDriver server scripts/engines.sh started for it.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { remote } from 'webdriverio';
import { Server } from './server.mjs';

const engine = process.env.ENGINE ?? 'webkit';
// One WebDriver server per phone: WebKitWebDriver runs one session at a time.
const ports = (process.env.DRIVER_PORTS ?? '4445,4446').split(',').map(Number);
const capabilities = {
  webkit: {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', args: ['--automation'] },
  },
  firefox: {
    browserName: 'firefox',
    'moz:firefoxOptions': { binary: '/usr/bin/firefox-esr', args: ['-headless'] },
  },
}[engine];

const server = new Server();
const browsers = [];

/** Phone number `n`: a browser session of its own (its own storage) at 390x844. */
async function phone(n = 0) {
  const browser = await remote({
    hostname: '127.0.0.1',
    port: ports[n],
    path: '/',
    logLevel: 'error',
    waitforTimeout: 15_000,
    capabilities: { ...capabilities, 'wdio:enforceWebDriverClassic': true },
  });
  browsers.push(browser);
  await browser.setWindowSize(390, 844);
  return browser;
}

async function text(browser, selector) {
  return (await browser.$(selector).getText()).trim();
}

async function until(what, check) {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never happened: ${what}`);
}

/** Waits until the live app (not the static shell it replaces) shows the main navigation. A find
 * that races the shell's replacement can fail in WebKitWebDriver ("stale element"): it is
 * tried again. */
async function appReady(b) {
  await until('the app replaced the static shell', async () => {
    try {
      return (await b.$('button.language-switch').isExisting()) && (await b.$('nav.main-nav').isDisplayed());
    } catch {
      return false;
    }
  });
}

async function startTeam(b, name) {
  await b.url(server.url + '/');
  await b.$('#start-team').waitForDisplayed();
  await b.$('#start-team').setValue('Groen Lindelaan');
  await b.$('#start-buurt').setValue('Lindelaan');
  await b.$('#start-name').setValue(name);
  await tap(await b.$('#start-name').parentElement().parentElement().$('button[type=submit]'));
  await appReady(b);
}

async function syncNow(b) {
  await tap(await b.$('button.sync-status'));
  await until('synced', async () => (await b.$('button.sync-status').getAttribute('data-state')) === 'synced');
}

async function go(b, path) {
  await b.url(server.url + path);
  await appReady(b);
}

/** Taps an element as a thumb would: brought to the middle of the screen first, clear of the
 * bars at the top and bottom. */
async function tap(element) {
  await element.scrollIntoView({ block: 'center' });
  await element.click();
}

/** The member's own role boxes on the team page, once drawn. */
async function roleBoxes(b) {
  await b.$('.roles input[type=checkbox]').waitForExist();
  return b.$$('.roles input[type=checkbox]');
}

async function session(b) {
  return JSON.parse(await b.execute(() => localStorage.getItem('buurtbel.session')));
}

before(async () => {
  await server.start();
});

/** Ends this journey's sessions, freeing the drivers for the next. */
async function done() {
  while (browsers.length) await browsers.pop().deleteSession().catch(() => {});
}

afterEach(done);

after(async () => {
  await done();
  await server.dispose();
});

test(`${engine}: a team is started, a second phone joins with the code, and roles sync both ways`, async () => {
  const anna = await phone(0);
  const bram = await phone(1);
  await startTeam(anna, 'Anna');
  await go(anna, '/team');
  const code = (await text(anna, '.invite-code')).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)[0];
  await bram.url(server.url + '/join/' + code);
  await bram.$('#join-name').waitForDisplayed();
  assert.equal(await bram.$('#join-code').getValue(), code);
  await bram.$('#join-name').setValue('Bram');
  await tap(await bram.$('#join-name').parentElement().parentElement().$('button[type=submit]'));
  await appReady(bram);
  await go(bram, '/team');
  await tap((await roleBoxes(bram))[1]);
  await syncNow(bram);
  await tap((await roleBoxes(anna))[0]);
  await syncNow(anna);
  await syncNow(bram);
  for (const b of [anna, bram]) {
    await until('both roles on both phones', async () => {
      const cards = await b.$$('.role-card');
      const states = [];
      for (const c of cards) states.push(await c.getAttribute('data-state'));
      return states[0] === 'thin' && states[1] === 'thin';
    });
  }
  assert.match(await text(anna, '.role-card:nth-child(2) .role-holders'), /Bram/);
  assert.match(await text(bram, '.role-card:nth-child(1) .role-holders'), /Anna/);
  // This phone's storage: what the engine tells, never "0.0 MB of 0.0 MB" (WebKitGTK gives no
  // estimate and has no persist()), and no storage warning.
  await go(anna, '/instellingen');
  await anna.$('.storage-line').waitForExist();
  const lines = [];
  for (const line of await anna.$$('.storage-line')) lines.push(await line.getProperty('textContent'));
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.ok(!lines.some((l) => l.includes('van de 0.0 MB')), JSON.stringify(lines));
  if (engine === 'webkit') assert.match(lines[0], /zegt niet hoeveel/);
  assert.equal((await anna.$$('.notices .notice')).length, 0);
});

test(`${engine}: with the server gone the app opens from its service worker, keeps what was done through a reload, and sends it once`, async () => {
  const anna = await phone();
  await startTeam(anna, 'Anna');
  await until('the service worker controls the page', async () =>
    anna.execute(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null),
  );
  await go(anna, '/adressen/toevoegen');
  await anna.$('#add-street').setValue('Lindelaan');
  await anna.$('#add-numbers').setValue('1-9 oneven');
  await anna.$('#add-postcode').setValue('3581 AB');
  for (const b of await anna.$$('form button')) if ((await b.getText()) === 'Bekijken') await tap(b);
  await anna.$('.preview').waitForDisplayed();
  await tap(await anna.$('.preview button'));
  await anna.$('.door').waitForDisplayed();
  await syncNow(anna);
  const me = await session(anna);

  await server.stop();
  try {
    for (const n of [0, 1, 2]) {
      const doors = await anna.$$('.door');
      await tap(await doors[n].$('.door-not-home'));
    }
    // The three are on the phone (its outbox in IndexedDB) before the page goes.
    const waiting = () =>
      anna.executeAsync((name, done) => {
        const open = indexedDB.open(name);
        open.onerror = () => done(-1);
        open.onsuccess = () => {
          const count = open.result.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            open.result.close();
            done(count.result);
          };
          count.onerror = () => done(-1);
        };
      }, `buurtbel-${me.team.id}`);
    await until('three visits stored', async () => (await waiting()) === 3);
    // The app opened again, from the address bar, with the server gone: the service worker
    // serves it. A navigation WebDriver starts itself, so it waits for the new page; a reload
    // from a script leaves WebKitWebDriver waiting on a script whose page went away, and its
    // own refresh makes Firefox bypass the service worker.
    await anna.url(server.url + '/');
    await anna.$('.door').waitForDisplayed();
    let seen = [];
    await until('three doors not home after the reload', async () => {
      seen = [];
      for (const chip of await anna.$$('.door .chip')) seen.push(await chip.getProperty('textContent'));
      return seen.filter((t) => t.includes('Niet thuis')).length === 3;
    }).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(seen)} at ${anna.url}`);
    });
  } finally {
    await server.start();
  }
  await syncNow(anna);
  const visits = (await server.log(me.device.token)).filter((op) => op.payload.visit_log);
  assert.equal(visits.length, 3);
});

test(`${engine}: a second tab shows what the first records`, async () => {
  const anna = await phone();
  await startTeam(anna, 'Anna');
  await go(anna, '/team');
  const first = await anna.getWindowHandle();
  await anna.newWindow(server.url + '/team');
  await anna.$('.roles').waitForDisplayed();
  const second = await anna.getWindowHandle();
  await anna.switchToWindow(first);
  await tap((await roleBoxes(anna))[2]);
  await anna.switchToWindow(second);
  await until('the other tab shows the role', async () => (await anna.$('.role-card:nth-child(3)').getAttribute('data-state')) === 'thin');
});
