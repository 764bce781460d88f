// Trunk's post-build step (Trunk.toml [[hooks]]): runs on the staged build before it becomes
// dist/.
// 1. Moves the inline start-up script Trunk writes into index.html to a file of its own, named by
//    its content hash, so the server's Content-Security-Policy allows scripts from the app's own
//    origin only, with no inline script; it fetches the wasm after the first paint.
// 2. Minifies the JavaScript glue (terser) in a release build and updates its integrity hash;
//    the wasm has no preload, as the static shell needs it for no paint.
// 3. Writes the service worker from public/sw.js with the exact list of built files to precache
//    and a version that changes with any of them.
// 4. Compresses every text and wasm file at the highest brotli and gzip levels, next to the
//    file (name.br, name.gz), for the server to send as they are.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run by trunk)');
  process.exit(1);
}
const release = process.env.TRUNK_PROFILE === 'release';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sha384 = (data) => 'sha384-' + createHash('sha384').update(data).digest('base64');
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

// 1. The start-up script.
const inline = /<script type="?module"?>([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) {
  console.error('post-build: no inline start-up script in index.html');
  process.exit(1);
}
// The wasm is fetched once the static shell has painted (at the start of the second frame after
// the start-up script runs, when the first has been shown; a page opened in the background,
// which paints no frame, starts after 100 ms): on a slow
// line it would otherwise share the bandwidth with what the first paint needs, and the largest
// paint, the shell's introduction, would wait for it.
const startCall = /^const wasm = await init\(/m;
if (!startCall.test(found[1])) {
  console.error('post-build: the start-up script does not call init() as expected');
  process.exit(1);
}
const code =
  found[1]
    .trim()
    .replace(startCall, 'await new Promise((painted) => {\n  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(painted)));\n  setTimeout(painted, 100);\n});\n$&') + '\n';
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const name = `start-${hash}.js`;
writeFileSync(join(dir, name), code);
html = html.replace(inline, `<script type=module src=/${name} integrity=${sha384(code)}></script>`);
console.log(`post-build: start-up script moved to ${name}`);

// 2. The glue, minified.
const files = () =>
  readdirSync(dir, { recursive: true })
    .map((f) => f.toString())
    .filter((f) => statSync(join(dir, f)).isFile());
if (release) {
  const { minify } = await import(join(root, 'e2e/node_modules/terser/main.js'));
  for (const file of files().filter((f) => /^buurtbel-app-[0-9a-f]{1,16}\.js$/.test(f))) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const result = await minify(before, { module: true, compress: { passes: 2 }, mangle: true });
    writeFileSync(path, result.code);
    html = html.replace(sha384(before), sha384(result.code));
    console.log(`post-build: ${file} minified, ${before.length} to ${result.code.length} bytes`);
  }
}
// No preload for the wasm: the start-up script fetches it after the first paint (above).
const preload = /<link as=fetch [^>]*rel=preload type=application\/wasm>/;
if (!preload.test(html)) {
  console.error('post-build: no preload of the wasm in index.html');
  process.exit(1);
}
html = html.replace(preload, '');
writeFileSync(indexPath, html);

// 3. The service worker and its precache list: every built file but the worker itself.
const built = files()
  .filter((f) => f !== 'sw.js' && !f.endsWith('.br') && !f.endsWith('.gz'))
  .map((f) => '/' + relative(dir, join(dir, f)).split('\\').join('/'))
  .sort();
const version = createHash('sha256');
for (const file of built) version.update(file).update(readFileSync(join(dir, file)));
const worker = readFileSync(join(dir, 'sw.js'), 'utf8')
  .replace("'__BUURTBEL_VERSION__'", JSON.stringify(version.digest('hex').slice(0, 16)))
  .replace('__BUURTBEL_PRECACHE__', JSON.stringify(built));
writeFileSync(join(dir, 'sw.js'), worker);
writeFileSync(join(dir, 'precache.json'), JSON.stringify(built, null, 1) + '\n');
console.log(`post-build: sw.js precaches ${built.length} files`);

// 4. Precompressed copies.
if (release) {
  const compressible = /\.(html|js|css|wasm|webmanifest|svg|json)$/;
  for (const file of files().filter((f) => compressible.test(f))) {
    const path = join(dir, file);
    const data = readFileSync(path);
    writeFileSync(
      path + '.br',
      brotliCompressSync(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
    );
    writeFileSync(path + '.gz', gzipSync(data, { level: 9 }));
  }
  console.log('post-build: brotli and gzip copies written');
}
