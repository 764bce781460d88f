// Draws the app's PNG icons from public/icon.svg with Chromium (run by hand when the icon
// changes; the PNGs are committed): 192 and 512 for the manifest, a maskable 512 whose bell
// stays inside the safe circle of any mask, and the 180 px apple-touch-icon iOS asks for.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'public/icon.svg'), 'utf8');
// Full bleed (iOS and the launchers round the corners themselves) with the bell at 70%.
const bleed = svg
  .replace('<rect width="512" height="512" rx="96" fill="#0b5d3b"/>', '<rect width="512" height="512" fill="#0b5d3b"/><g transform="translate(76.8 76.8) scale(0.7)">')
  .replace('</svg>', '</g></svg>');
const icons = [
  ['icon-192.png', 192, svg],
  ['icon-512.png', 512, svg],
  ['icon-maskable-512.png', 512, bleed],
  ['apple-touch-icon.png', 180, bleed],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const [name, size, source] of icons) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const sized = source.replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`);
  await page.screenshot({ path: join(root, 'public/icons', name), omitBackground: true });
  await page.close();
}
await browser.close();
console.log(`icons: ${icons.map((i) => i[0]).join(', ')}`);
