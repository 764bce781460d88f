import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';

/**
 * The time now as the server has it (Unix ms). `make test` runs some journeys once more at
 * moments known to break date code (scripts/dates.sh): the server then runs under faketime from
 * BUURTBEL_AT_MS, started at the real time BUURTBEL_AT_REAL_MS. Otherwise it is the real time.
 */
export function serverNow(): number {
  const at = Number(process.env.BUURTBEL_AT_MS ?? 0);
  if (!at) return Date.now();
  return at + (Date.now() - Number(process.env.BUURTBEL_AT_REAL_MS));
}

/** Sets a phone's clock to the server's time when the run is at a fixed moment (plus `aheadMs`,
 * for a phone whose clock runs fast); the clock then runs on. */
export async function setPhoneClock(context: BrowserContext, aheadMs = 0) {
  if (process.env.BUURTBEL_AT_MS || aheadMs) await context.clock.install({ time: serverNow() + aheadMs });
}

/** A phone in the Netherlands: its own context (its own storage), at 390x844, on the server's
 * time; `options` change any of it. */
export async function phoneContext(browser: Browser, options: BrowserContextOptions = {}, aheadMs = 0) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Europe/Amsterdam',
    ...options,
  });
  await setPhoneClock(context, aheadMs);
  return context;
}

/** The app as an ambassador sees it: the app bar, the main navigation and the current page. */
export class AppPage {
  readonly nav: Locator;
  readonly heading: Locator;
  readonly languageSwitch: Locator;
  readonly syncStatus: Locator;

  constructor(readonly page: Page) {
    this.nav = page.locator('nav.main-nav');
    this.heading = page.getByRole('heading', { level: 1 });
    this.languageSwitch = page.locator('button.language-switch');
    this.syncStatus = page.locator('button.sync-status');
  }

  /** Opens a path and waits until the wasm app has replaced the static shell. */
  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.languageSwitch).toBeVisible();
  }

  navLabels() {
    return this.nav.getByRole('link').allTextContents();
  }

  /** Starts a new team from the setup screen and waits until the app shows it. */
  async startTeam(team: string, buurt: string, name: string) {
    await this.page.getByLabel('Naam van het team').fill(team);
    await this.page.getByLabel('Buurt', { exact: true }).fill(buurt);
    await this.page.locator('#start-name').fill(name);
    await this.page.getByRole('button', { name: 'Team beginnen' }).click();
    await expect(this.nav).toBeVisible();
  }

  /** Joins a team with an invite code from the setup screen. */
  async joinTeam(code: string, name: string) {
    await this.page.getByLabel('Uitnodigingscode').fill(code);
    await this.page.locator('#join-name').fill(name);
    await this.page.getByRole('button', { name: 'Meedoen' }).click();
    await expect(this.nav).toBeVisible();
  }

  /** Opens the team page through the navigation. */
  async teamPage() {
    await this.nav.getByRole('link', { name: 'Team' }).click();
    await expect(this.heading).toHaveText('Team');
  }

  /** The invite code the team page shows. */
  async inviteCode(): Promise<string> {
    const text = await this.page.locator('.invite-code').textContent();
    const code = text?.match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)?.[0];
    expect(code, `an invite code in "${text}"`).toBeTruthy();
    return code!;
  }

  /**
   * Asks for a sync now and waits until the round it started is done: a "synced" shown from an
   * earlier round, or a pull sent before the tap, says nothing about what changed since.
   */
  async syncNow() {
    const pull = this.page.waitForRequest((request) => request.url().endsWith('/api/v1/pull'));
    await this.syncStatus.click();
    await (await pull).response();
    await expect(this.syncStatus).toHaveAttribute('data-state', 'synced');
  }

  /** The member names on the team page, in order. */
  memberNames() {
    return this.page.locator('.member-name').allTextContents();
  }

  /** The device's session as stored by the app. */
  async session(): Promise<{ device: { id: string; token: string }; member: { id: string } }> {
    const text = await this.page.evaluate(() => localStorage.getItem('buurtbel.session'));
    expect(text).toBeTruthy();
    return JSON.parse(text!);
  }
}

/** A second phone: its own browser context, so its own storage. */
export async function newPhone(browser: Browser, baseURL?: string): Promise<AppPage> {
  const context = await phoneContext(browser, { baseURL });
  return new AppPage(await context.newPage());
}

/** Every operation the server holds for the team, read with a member's token. */
export async function serverLog(request: APIRequestContext, baseURL: string, token: string) {
  const ops: Array<{ hlc: { wall_ms: number }; author: { device: string }; payload: Record<string, unknown> }> = [];
  let after = 0;
  for (;;) {
    const answer = await request.post(`${baseURL}/api/v1/pull`, {
      headers: { authorization: `Bearer ${token}` },
      data: { protocol_version: 1, after, limit: 1000 },
    });
    expect(answer.ok()).toBeTruthy();
    const page = await answer.json();
    ops.push(...page.ops.map((s: { op: (typeof ops)[number] }) => s.op));
    after = page.cursor;
    if (!page.more) return ops;
  }
}

/** How many role changes the server holds from `device`. */
export async function roleChanges(request: APIRequestContext, baseURL: string, token: string, device: string) {
  const ops = await serverLog(request, baseURL, token);
  return ops.filter((op) => op.author.device === device && JSON.stringify(op.payload).includes('member_update')).length;
}

/** Anna starts a team; Bram joins it with the code her team page shows. */
export async function teamOfTwo(anna: AppPage, bram: AppPage) {
  await anna.open('/');
  await anna.startTeam('Groen Lindelaan', 'Lindelaan', 'Anna');
  await anna.teamPage();
  const code = await anna.inviteCode();
  await bram.open('/');
  await bram.joinTeam(code.toLowerCase(), 'Bram');
  await bram.teamPage();
}

/** The walk list's door with house number `number` (the first one on screen). */
export function door(app: AppPage, number: string) {
  return app.page.locator('.door').filter({ has: app.page.locator('.door-number', { hasText: new RegExp(`^${number}$`) }) }).first();
}

/** Adds `numbers` of `street` through the add-addresses form and waits for the walk list. */
export async function addRange(app: AppPage, street: string, numbers: string, postcode: string, count: number) {
  await app.page.getByRole('link', { name: 'Adressen toevoegen' }).first().click();
  await app.page.locator('#add-street').fill(street);
  await app.page.locator('#add-numbers').fill(numbers);
  await app.page.locator('#add-postcode').fill(postcode);
  await app.page.getByRole('button', { name: 'Bekijken' }).first().click();
  await expect(app.page.locator('.preview-counts')).toContainText(`${count} nieuw`);
  await app.page.getByRole('button', { name: count === 1 ? '1 adres toevoegen' : `${count} adressen toevoegen` }).click();
  await expect(app.heading).toHaveText('Looplijst');
}

/** Types a resident's name and a note on a door's visit sheet and closes it without saving:
 * the sheet keeps them as a draft for this tab. */
export async function leaveDraft(app: AppPage, number: string) {
  await openDoor(app, number);
  await app.page.getByRole('dialog').getByText('Wil informatie', { exact: true }).click();
  await app.page.locator('#visit-note').fill('Mevrouw de Vries belt morgen terug');
  await app.page.getByRole('switch').check();
  await app.page.locator('#resident-name').fill('Mevrouw de Vries');
  await app.page.getByRole('dialog').getByRole('button', { name: 'Sluiten' }).click();
  await expect(app.page.getByRole('dialog')).toHaveCount(0);
  expect(await drafts(app)).toContain('Mevrouw de Vries');
}

/** Every draft this tab keeps, read raw from sessionStorage. */
export async function drafts(app: AppPage): Promise<string> {
  return app.page.evaluate(() =>
    Object.keys(sessionStorage)
      .filter((k) => k.startsWith('buurtbel.draft.'))
      .map((k) => `${k}=${sessionStorage.getItem(k)}`)
      .join('\n'));
}

/** Starts a project from the theme `theme` on the plan page, keeping its suggested title. */
export async function startProject(app: AppPage, theme: string) {
  await app.nav.getByRole('link', { name: 'Plan' }).click();
  await app.page.getByRole('button', { name: 'Nieuw project' }).click();
  await app.page.getByRole('radio', { name: theme }).check();
  await app.page.getByRole('button', { name: 'Project starten' }).click();
  await expect(app.page.locator('.phase').first()).toBeVisible();
}

/** Everything the phone's IndexedDB holds for its team, as one text. */
export async function storedText(app: AppPage): Promise<string> {
  const team = ((await app.session()) as unknown as { team: { id: string } }).team.id;
  return app.page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const parts: string[] = [];
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      parts.push(JSON.stringify(all));
    }
    db.close();
    return parts.join('\n');
  }, `buurtbel-${team}`);
}

/** Opens the visit sheet of a door. */
export async function openDoor(app: AppPage, number: string) {
  await door(app, number).locator('.door-open').click();
  await expect(app.page.getByRole('dialog')).toBeVisible();
}

export const test = base.extend<{ app: AppPage }>({
  // Every page a journey is given runs on the server's time.
  context: async ({ context }, use) => {
    await setPhoneClock(context);
    await use(context);
  },
  app: async ({ page }, use) => {
    await use(new AppPage(page));
  },
});

export { expect };
