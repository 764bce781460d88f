// The real server for the engine journeys: the debug binary scripts/e2e.sh uses, a fresh
// database, and the same port across a restart (so a journey can take the whole server away).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export class Server {
  dir = mkdtempSync(join(tmpdir(), 'buurtbel-engines-'));
  port = 0;
  child = null;

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const child = spawn(
      join(root, 'target', 'debug', 'buurtbel-server'),
      ['--addr', `127.0.0.1:${this.port}`, '--database', join(this.dir, 'db.sqlite3'), '--dist', join(root, 'dist')],
      { env: { ...process.env, NO_COLOR: '1', BUURTBEL_JOIN_BURST: '100' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let log = '';
    this.port = await new Promise((ok, fail) => {
      const read = (chunk) => {
        log += chunk;
        const m = log.match(/addr=127\.0\.0\.1:(\d+)/);
        if (m) ok(Number(m[1]));
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => fail(new Error(`server exited with ${code}\n${log}`)));
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.url}/api/health/ready`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server not ready\n${log}`);
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every operation the server holds for the team, read with a device's token. */
  async log(token) {
    const ops = [];
    let after = 0;
    for (;;) {
      const answer = await fetch(`${this.url}/api/v1/pull`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ protocol_version: 1, after, limit: 1000 }),
      });
      const page = await answer.json();
      ops.push(...page.ops.map((s) => s.op));
      after = page.cursor;
      if (!page.more) return ops;
    }
  }
}
