/**
 * Sums up V8 CPU profiles (`BENCH_PROFILE` of `bench:capacity`, or any `node --cpu-prof` output) by where
 * the time went: each npm package, Node's own internals, our code (by workspace folder), garbage
 * collection, and idle. `tsx apps/server/bench/capacity/profile.ts FILE_OR_FOLDER…`; prints one table a
 * profile, shares of the busy (non-idle) time, and the 15 heaviest functions of our code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's time counts. */
function bucket(n: Node): string {
  const { url, functionName } = n.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program (native, unattributed)';
  if (!url) return `native: ${functionName || '(anonymous)'}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    return pkg;
  }
  if (url.startsWith('node:')) return 'node internals';
  const m = /\/(apps|packages)\/([^/]+)\/(?:src\/)?([^/]+)/.exec(url);
  if (m) return `ours: ${m[1]}/${m[2]}`;
  return 'other';
}

function summarize(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const buckets = new Map<string, number>();
  const ours = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const b = bucket(n);
    total += us;
    if (b === 'idle') {
      idle += us;
      continue;
    }
    buckets.set(b, (buckets.get(b) ?? 0) + us);
    if (b.startsWith('ours')) {
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(apps|packages)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
      ours.set(key, (ours.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  console.log(
    `\n${file}\n  ${(total / 1e6).toFixed(1)} s profiled, ${((busy / total) * 100).toFixed(0)}% busy`,
  );
  const rows = [...buckets].sort((a, b) => b[1] - a[1]);
  for (const [b, us] of rows.slice(0, 18))
    console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${b}`);
  console.log('  our heaviest functions (self time, share of busy):');
  for (const [k, us] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`  ${((us / busy) * 100).toFixed(2).padStart(6)}%  ${k}`);
}

for (const arg of process.argv.slice(2)) {
  const files = statSync(arg).isDirectory()
    ? readdirSync(arg, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(arg, f))
    : [arg];
  for (const f of files) summarize(f);
}
