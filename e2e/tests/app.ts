import { test as base, expect, type Locator, type Page } from '@playwright/test';

/** The app as an ambassador sees it: the app bar, the main navigation and the current page. */
export class AppPage {
  readonly nav: Locator;
  readonly heading: Locator;
  readonly languageSwitch: Locator;

  constructor(readonly page: Page) {
    this.nav = page.locator('nav.main-nav');
    this.heading = page.getByRole('heading', { level: 1 });
    this.languageSwitch = page.locator('button.language-switch');
  }

  /** Opens a path and waits until the wasm app has replaced the static shell. */
  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.languageSwitch).toBeVisible();
  }

  navLabels() {
    return this.nav.getByRole('link').allTextContents();
  }
}

export const test = base.extend<{ app: AppPage }>({
  app: async ({ page }, use) => {
    await use(new AppPage(page));
  },
});

export { expect };
