// Spawns the embedded stack's processes and makes sure none outlives us. Each child gets its own
// process group (so a terminal's Ctrl-C reaches only us, and we stop the children in the right
// order) and the whole group is signalled, so grandchildren (jest workers, postgres backends) go too.
import { spawn } from 'node:child_process';

const TAIL_LINES = 60;

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but is not ours to signal; treat it as alive so we do not lie.
    return error.code === 'EPERM';
  }
}

function signalQuietly(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Waits for `promise` for at most `ms`; true when it settled in time. */
async function within(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Splits a stream into lines and hands each one over; the last partial line is flushed at end. */
function forEachLine(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/**
 * One child process in its own process group.
 *
 * - `output: 'prefix'` prints every line as `[name] line`; `'inherit'` hands over the terminal
 *   (jest); `'quiet'` only keeps the tail for error messages.
 * - `quietWhileStopping` hides what it prints once asked to stop (shutdown noise).
 * - `stopSignal` and `signalGroup` say how to ask it to stop: Postgres wants SIGINT on the
 *   postmaster alone (fast shutdown; it then stops its backends itself), the others SIGTERM to
 *   the group. After `graceMs` the whole group gets SIGKILL.
 */
export class ManagedProcess {
  constructor(name, command, args, options = {}) {
    const {
      env = process.env,
      cwd,
      uid,
      gid,
      output = 'prefix',
      stopSignal = 'SIGTERM',
      signalGroup = true,
      graceMs = 10_000,
      quietWhileStopping = false,
    } = options;
    this.name = name;
    this.command = command;
    this.output = output;
    this.stopSignal = stopSignal;
    this.signalGroup = signalGroup;
    this.graceMs = graceMs;
    this.stopRequested = false;
    this.exitInfo = undefined;
    this.lines = [];

    const child = spawn(command, args, {
      env,
      cwd,
      uid,
      gid,
      detached: true, // setsid(): own session and process group, pgid = pid
      stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.pid = child.pid;

    const remember = (line) => {
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
    };
    if (output !== 'inherit') {
      const prefix = `[${name}] `;
      const shown = () => output === 'prefix' && !(quietWhileStopping && this.stopRequested);
      forEachLine(child.stdout, (line) => {
        remember(line);
        if (shown()) process.stdout.write(`${prefix}${line}\n`);
      });
      forEachLine(child.stderr, (line) => {
        remember(line);
        if (shown()) process.stderr.write(`${prefix}${line}\n`);
      });
    }

    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        // spawn failures (ENOENT, EACCES) never emit 'exit'
        if (!this.exitInfo) {
          this.exitInfo = { code: null, signal: null, error };
          resolve(this.exitInfo);
        }
      });
      child.on('exit', (code, signal) => {
        if (!this.exitInfo) {
          this.exitInfo = { code, signal, error: undefined };
          resolve(this.exitInfo);
        }
      });
    });
    if (this.pid !== undefined) liveGroups.add(this.pid);
    void this.exited.then(() => {
      if (this.pid !== undefined && !groupAlive(this.pid)) liveGroups.delete(this.pid);
    });
  }

  get running() {
    return this.exitInfo === undefined;
  }

  /** The last lines it printed, for error messages. */
  tail() {
    return this.lines.join('\n');
  }

  describeExit() {
    const info = this.exitInfo;
    if (!info) return 'still running';
    if (info.error) return `could not start ${this.command}: ${info.error.message}`;
    return info.signal ? `killed by ${info.signal}` : `exit code ${info.code}`;
  }

  /** Asks it to stop, waits `graceMs`, then SIGKILLs the whole group. Idempotent. */
  stop() {
    if (!this.stopping) this.stopping = this.#stop();
    return this.stopping;
  }

  async #stop() {
    this.stopRequested = true;
    const pid = this.pid;
    if (pid === undefined) return;
    const deadline = Date.now() + this.graceMs;
    if (this.running) signalQuietly(this.signalGroup ? -pid : pid, this.stopSignal);
    await within(this.exited, this.graceMs);
    // The leader may be gone while its group lives on (orphaned grandchildren): wait for them too.
    while (groupAlive(pid) && Date.now() < deadline) await delay(100);
    if (groupAlive(pid)) {
      process.stderr.write(`[${this.name}] did not stop within ${this.graceMs} ms: SIGKILL\n`);
      signalQuietly(-pid, 'SIGKILL');
      await within(this.exited, 5_000);
      const killDeadline = Date.now() + 5_000;
      while (groupAlive(pid) && Date.now() < killDeadline) await delay(50);
    }
    liveGroups.delete(pid);
  }
}

/** Process groups we started and have not yet seen die: the last-resort `exit` handler kills them. */
const liveGroups = new Set();
process.on('exit', () => {
  for (const pid of liveGroups) signalQuietly(-pid, 'SIGKILL');
});

/**
 * Owns a set of services (managed processes or anything with `stop()`), stops them in reverse
 * order of start on SIGINT/SIGTERM/SIGHUP or when one of them dies unexpectedly.
 */
export class Supervisor {
  constructor({ log = (message) => process.stderr.write(`[duban] ${message}\n`) } = {}) {
    this.log = log;
    this.services = [];
    this.shuttingDown = undefined;
    this.stopped = false;
    this.exitCode = undefined;
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  /** Registers a service; if it has an `exited` promise, its unexpected death stops everything. */
  add(name, service) {
    if (this.stopped) {
      // Registered after shutdown finished (a start-up step that was still running): stop it now.
      void service.stop();
      return service;
    }
    this.services.push({ name, service });
    if (service.exited) {
      void service.exited.then((info) => {
        if (this.shuttingDown || service.stopRequested || service.expectedToExit) return;
        const how = service.describeExit ? service.describeExit() : JSON.stringify(info ?? {});
        this.log(`${name} exited unexpectedly (${how}); stopping everything`);
        const tail = service.tail?.();
        if (tail && service.output !== 'prefix') this.log(`last output of ${name}:\n${tail}`);
        void this.shutdown(1);
      });
    }
    return service;
  }

  spawn(name, command, args, options) {
    return this.add(name, new ManagedProcess(name, command, args, options));
  }

  /**
   * Runs a one-off step (a migration, a build) under supervision, so Ctrl-C stops it too; resolves
   * when it exits 0, rejects otherwise.
   */
  async run(name, command, args, options) {
    const step = new ManagedProcess(name, command, args, options);
    step.expectedToExit = true;
    this.add(name, step);
    const info = await step.exited;
    this.services = this.services.filter((entry) => entry.service !== step);
    if (info.code !== 0) throw new Error(`${name} failed (${step.describeExit()})`);
  }

  installSignalHandlers() {
    let firstSignalAt = 0;
    const onSignal = (signal, code) => {
      if (this.shuttingDown) {
        // `npm start` forwards the terminal's SIGINT to us, which we also receive directly: only a
        // signal a moment later is a user insisting.
        if (Date.now() - firstSignalAt < 1_000) return;
        this.log(`${signal} again: killing everything now`);
        for (const { service } of this.services) {
          if (service.pid !== undefined) signalQuietly(-service.pid, 'SIGKILL');
        }
        return;
      }
      firstSignalAt = Date.now();
      this.log(`${signal}: stopping`);
      void this.shutdown(code);
    };
    process.on('SIGINT', () => onSignal('SIGINT', 130));
    process.on('SIGTERM', () => onSignal('SIGTERM', 143));
    process.on('SIGHUP', () => onSignal('SIGHUP', 129));
  }

  /** Stops every service, newest first; resolves with the exit code once all are down. Idempotent. */
  shutdown(code = 0) {
    if (!this.shuttingDown) {
      this.exitCode = code;
      this.shuttingDown = (async () => {
        // Pop rather than iterate a copy: a service registered while we stop is stopped as well.
        for (let entry = this.services.pop(); entry; entry = this.services.pop()) {
          try {
            await entry.service.stop();
          } catch (error) {
            this.log(
              `stopping ${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        this.stopped = true;
        this.resolveFinished(this.exitCode);
        return this.exitCode;
      })();
    }
    return this.shuttingDown;
  }
}
