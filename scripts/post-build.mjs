// Trunk's post-build step (Trunk.toml [[hooks]]): runs on the staged build before it becomes
// dist/. Moves the inline start-up script Trunk writes into index.html to a file of its own,
// named by its content hash, so the server's Content-Security-Policy allows scripts from the
// app's own origin only, with no inline script.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run by trunk)');
  process.exit(1);
}
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = /<script type="?module"?>([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) {
  console.error('post-build: no inline start-up script in index.html');
  process.exit(1);
}
const code = found[1].trim() + '\n';
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const name = `start-${hash}.js`;
writeFileSync(join(dir, name), code);
const integrity = 'sha384-' + createHash('sha384').update(code).digest('base64');
html = html.replace(inline, `<script type=module src=/${name} integrity=${integrity}></script>`);
writeFileSync(indexPath, html);
console.log(`post-build: start-up script moved to ${name}`);
