import { defineConfig, devices } from '@playwright/test';

// The server is started by scripts/e2e.sh on a free port and passed in as BUURTBEL_URL.
const baseURL = process.env.BUURTBEL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'phone',
      use: {
        ...devices['Pixel 7'],
        viewport: { width: 390, height: 844 },
        // The phones are in the Netherlands, whatever the machine's zone.
        timezoneId: 'Europe/Amsterdam',
        // Debian's Chromium: Playwright never downloads a browser of its own here.
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
  ],
});
