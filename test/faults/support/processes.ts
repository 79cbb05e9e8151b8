import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually as pollUntil } from '../../support/eventually';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A child process of the fault suite: its pid, the tail of its output, and how it ended. */
export class ChildService {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output: string[] = [];
  private ended = false;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    private readonly echo = process.env.FAULTS_VERBOSE === '1',
  ) {
    this.child = spawn(command, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a kill reaches whatever it spawned and nothing of ours.
      detached: true,
    });
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (this.echo) process.stderr.write(`[${name}] ${text}`);
      this.output.push(text);
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.ended = true;
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start`);
    return this.child.pid;
  }

  get running(): boolean {
    return !this.ended;
  }

  tail(lines = 40): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }

  /** Whether its output so far contains `text`. */
  said(text: string): boolean {
    return this.output.join('').includes(text);
  }

  /** Sends `signal` to its process group (SIGKILL: no handler runs, nothing is flushed). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 20_000, group = true): Promise<void> {
    if (!this.running) return;
    try {
      process.kill(group ? -this.pid : this.pid, signal);
    } catch {
      // Already gone.
    }
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'late') {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await this.exited;
    }
  }
}

/** A TCP port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The shared poll-with-a-deadline, with the longer defaults a stack under fault injection needs. */
export function eventually<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  return pollUntil(probe, { timeoutMs: 30_000, intervalMs: 200, ...options });
}

/** Runs a command to completion and returns its exit code and output. */
export function runToEnd(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 300_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs} ms:\n${output}`),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
