import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/**
 * A server of its own for a journey that stops and restarts it: the binary scripts/e2e.sh
 * uses, a fresh database, and the same port across restarts.
 */
export class OwnServer {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'buurtbel-e2e-'));
  port = 0;

  /** `dist`: the built app it serves (the release build in dist/ unless a journey needs its own copy). */
  constructor(private readonly dist = join(root, 'dist')) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The server's database file (for the operator's commands). */
  get database() {
    return join(this.dir, 'db.sqlite3');
  }

  /** The server binary. */
  static get binary() {
    return process.env.BUURTBEL_SERVER_BIN ?? join(root, 'target', 'debug', 'buurtbel-server');
  }

  /** Starts the server (on a free port the first time, on the same port after that). */
  async start() {
    const child = spawn(
      OwnServer.binary,
      ['--addr', `127.0.0.1:${this.port}`, '--database', this.database, '--dist', this.dist],
      { env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1', BUURTBEL_JOIN_BURST: '100' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    let log = '';
    const bound = new Promise<number>((resolvePort, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const match = log.match(/addr=127\.0\.0\.1:(\d+)/);
        if (match) resolvePort(Number(match[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
      setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
    });
    this.port = await bound;
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.url}/api/health/ready`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server not ready:\n${log}`);
  }

  /** Kills the server at once, as a power cut would. */
  async kill() {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose() {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
