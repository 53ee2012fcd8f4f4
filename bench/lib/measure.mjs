// Runs a child process and measures its wall time and peak memory (resident
// set size, RSS).
//
// With GNU time at /usr/bin/time, the child runs as `/usr/bin/time -v CMD...`
// and the peak is its "Maximum resident set size" (getrusage of the waited-for
// child: the largest RSS the process reached, all threads included). Without
// it, the peak is read from /proc/PID/status (VmHWM, the kernel's own
// high-water mark of the process's RSS) every 20 ms while the child runs; the
// last reading before it exits is the figure (it can miss growth in the last
// 20 ms). The wall time is measured here, around the whole process.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const kGnuTime = '/usr/bin/time';

// Children run in process groups of their own (see below); stop them when this
// process is interrupted.
const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(130);
  });
}

// Which method measurePeak uses on this machine.
export function peakMethod() {
  return existsSync(kGnuTime) ? '/usr/bin/time -v (Maximum resident set size)' : '/proc/PID/status VmHWM, polled every 20 ms';
}

function vmHwmBytes(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// Runs `command args...`; resolves to { status, signal (a name: 'SIGKILL'), stdout, stderr,
// wallSeconds, peakRssBytes, timedOut }. Never rejects for a failing child.
// Options: cwd, env, timeoutSeconds (the child is killed with SIGKILL after
// it, with its process group), echoStderr (also copy
// the child's stderr to ours as it comes).
export function measurePeak(command, args, { cwd, env, timeoutSeconds = 3600, echoStderr = false } = {}) {
  const useTime = existsSync(kGnuTime);
  // GNU time writes its report to a file of its own (-o), so stderr stays the child's.
  const reportDir = useTime ? mkdtempSync(join(tmpdir(), 'bench-time-')) : null;
  const reportFile = useTime ? join(reportDir, 'report.txt') : null;
  const argv = useTime ? [kGnuTime, ['-v', '-o', reportFile, command, ...args]] : [command, args];
  return new Promise((resolvePromise) => {
    const start = performance.now();
    // Its own process group, so a timeout stops the measured process too, not only time.
    const child = spawn(argv[0], argv[1], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) running.add(child.pid);
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => {
      err.push(b);
      if (echoStderr) process.stderr.write(b);
    });
    let peak = null;
    const poll = useTime
      ? null
      : setInterval(() => {
          const v = vmHwmBytes(child.pid);
          if (v != null) peak = Math.max(peak ?? 0, v);
        }, 20);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolvePromise({ status: null, signal: null, stdout: '', stderr: String(error.message), wallSeconds: 0, peakRssBytes: null, timedOut });
    });
    child.on('close', (status, signal) => {
      running.delete(child.pid);
      const wallSeconds = (performance.now() - start) / 1000;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const stderr = Buffer.concat(err).toString('utf8');
      if (useTime) {
        let report = '';
        try {
          report = readFileSync(reportFile, 'utf8');
        } catch {
          // time itself was killed (timeout): no report
        }
        rmSync(reportDir, { recursive: true, force: true });
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
        if (m) peak = Number(m[1]) * 1024;
        const killed = /Command terminated by signal (\d+)/.exec(report);
        if (killed) signal = Object.keys(constants.signals).find((k) => constants.signals[k] === Number(killed[1])) ?? `signal ${killed[1]}`;
        const exit = /Exit status: (\d+)/.exec(report);
        if (exit && status === 0) status = Number(exit[1]);
      }
      resolvePromise({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, wallSeconds, peakRssBytes: peak, timedOut });
    });
  });
}
