/**
 * `npm run eval:signals`: the engine (Node, wasm) on the labelled set of items.ts, once with the
 * attention mesh (default) and once with Human's old mesh, in the same run, side by side. Prints every
 * item, then the summary figures (README.md beside this file says what each one means). Synthetic
 * frowns (warped real photos, test/support/frown.ts) are reported apart from the real photos.
 * Env: DEVSET_DIR (default ../shared/devset), EVAL_ITEMS=0 to print only the summary.
 */
import os from 'node:os';
import { createNodeEngine, resolveConfig, scoreConfusion, scoreBand, type NodeEngine } from '../src/node.js';
import type { Baseline } from '../src/calibration.js';
import type { FrameResult } from '@smartsession/protocol';
import { frownWarp } from '../../../test/support/frown.js';
import type { RgbFrame } from '../../../test/support/faces.js';
import { realItems, variant, VARIANTS, type Item, type Variant } from './items.js';
import { auc, max, median, quantile } from './metrics.js';

type Mesh = 'attention' | 'facemesh';
/** Both meshes, side by side; `EVAL_MESHES=attention` runs one (quicker while developing). */
const MESHES: readonly Mesh[] = (process.env.EVAL_MESHES?.split(',') ?? ['attention', 'facemesh']).filter(
  (m): m is Mesh => m === 'attention' || m === 'facemesh',
);

interface Pair {
  id: string;
  relaxed: RgbFrame;
  hard: RgbFrame;
  mild: RgbFrame;
}

interface PairResult {
  id: string;
  baseline: Baseline | null;
  relaxed: FrameResult;
  hard: FrameResult;
  mild: FrameResult;
  /** Relative change of the measured brow height (`lower`) from the relaxed photo: mild, hard. */
  lowerChange: [number, number];
}

interface MeshRun {
  frames: Map<string, Record<Variant, FrameResult>>;
  /** The same variants read after calibrating on the original (single-face items only): the product's setting. */
  calibratedFrames: Map<string, Record<Variant, FrameResult>>;
  pairs: PairResult[];
  ms: number;
}

const cfg = resolveConfig();
const f2 = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '  -  ' : x.toFixed(2).padStart(5);
const brow = (f: FrameResult): number => f.signals?.brow ?? NaN;
/** The score with emotion off, from the same frame's observable signals. */
const scoreOff = (f: FrameResult): number =>
  f.signals
    ? scoreConfusion({ brow: f.signals.brow, tilt: f.signals.tilt, happiness: null }, cfg.score).score
    : NaN;

async function calibrated(engine: NodeEngine, relaxed: RgbFrame): Promise<Baseline | null> {
  engine.setBaseline(null);
  engine.startCalibration(1);
  for (let t = 0; t <= 1600; t += 200) await engine.analyze(relaxed, t);
  return engine.baseline;
}

async function makePairs(engine: NodeEngine, items: Item[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const item of items) {
    if (item.browLowered !== false) continue;
    const r = await engine.analyze(item.frame);
    const m = r.overlay.mesh;
    if (r.frame.face_count < 1 || !m) continue;
    const mesh: number[][] = [];
    for (let i = 0; i < m.length; i += 2)
      mesh.push([(m[i] ?? 0) * item.frame.width, (m[i + 1] ?? 0) * item.frame.height]);
    pairs.push({
      id: item.id,
      relaxed: item.frame,
      hard: frownWarp(item.frame, mesh, { lower: 0.3 }),
      mild: frownWarp(item.frame, mesh, { lower: 0.2 }),
    });
  }
  return pairs;
}

async function runMesh(
  mesh: Mesh,
  items: Item[],
  variants: Map<string, Record<Variant, RgbFrame>>,
  pairs: Pair[] | null,
): Promise<{ run: MeshRun; pairs: Pair[] }> {
  const engine = await createNodeEngine({ video: false, mesh });
  const t0 = performance.now();
  try {
    const made = pairs ?? (await makePairs(engine, items));
    const frames = new Map<string, Record<Variant, FrameResult>>();
    for (const item of items) {
      const out = {} as Record<Variant, FrameResult>;
      const vs = variants.get(item.id);
      for (const v of VARIANTS) out[v] = (await engine.analyze(vs?.[v] ?? item.frame)).frame;
      frames.set(item.id, out);
    }
    const calibratedFrames = new Map<string, Record<Variant, FrameResult>>();
    for (const item of items) {
      if (item.browLowered === null) continue;
      if (!(await calibrated(engine, item.frame))) continue;
      const out = {} as Record<Variant, FrameResult>;
      const vs = variants.get(item.id);
      for (const v of VARIANTS) out[v] = (await engine.analyze(vs?.[v] ?? item.frame)).frame;
      calibratedFrames.set(item.id, out);
      engine.setBaseline(null);
    }
    const results: PairResult[] = [];
    for (const p of made) {
      const baseline = await calibrated(engine, p.relaxed);
      if (!baseline)
        console.log(
          `  ${mesh}: ${p.id} did not calibrate (not exactly one reliable face); its pair reads uncalibrated`,
        );
      const [relaxed, hard, mild] = [
        await engine.analyze(p.relaxed),
        await engine.analyze(p.hard),
        await engine.analyze(p.mild),
      ];
      const lower = (r: typeof relaxed) => r.measures?.lower ?? NaN;
      const change = (r: typeof relaxed) => (lower(r) - lower(relaxed)) / lower(relaxed);
      results.push({
        id: p.id,
        baseline,
        relaxed: relaxed.frame,
        hard: hard.frame,
        mild: mild.frame,
        lowerChange: [change(mild), change(hard)],
      });
      engine.setBaseline(null);
    }
    return { run: { frames, calibratedFrames, pairs: results, ms: performance.now() - t0 }, pairs: made };
  } finally {
    engine.dispose();
  }
}

function summary(items: Item[], run: MeshRun) {
  const faceItems = items.filter((i) => i.browLowered !== null);
  const labelled = faceItems.map((i) => ({
    brow: brow(run.frames.get(i.id)!.orig),
    label: i.browLowered === true,
  }));
  const diff = (i: Item, v: Variant, pick: (f: FrameResult) => number) => {
    const r = run.frames.get(i.id)!;
    return Math.abs(pick(r[v]) - pick(r.orig));
  };
  const faceDiffs = (v: Variant, pick: (f: FrameResult) => number) =>
    faceItems.map((i) => diff(i, v, pick)).filter(Number.isFinite);
  const cal = [...run.calibratedFrames.values()];
  const calDiffs = (v: Variant, pick: (f: FrameResult) => number) =>
    cal.map((r) => Math.abs(pick(r[v]) - pick(r.orig))).filter(Number.isFinite);
  const counted = items.filter((i) => i.faces !== null);
  let correct = 0;
  let total = 0;
  for (const i of counted) {
    for (const v of VARIANTS) {
      total++;
      if (run.frames.get(i.id)![v].face_count === i.faces) correct++;
    }
  }
  const smiles = items
    .filter((i) => i.smile)
    .flatMap((i) => VARIANTS.map((v) => run.frames.get(i.id)![v].confusion_score));
  const p = run.pairs;
  const gap = (k: 'hard' | 'mild') => p.map((x) => brow(x[k]) - brow(x.relaxed));
  return {
    auc: auc(
      labelled.map((l) => l.brow),
      labelled.map((l) => l.label),
    ),
    mirrorMax: max(faceDiffs('mirror', brow)),
    mirrorMedian: median(faceDiffs('mirror', brow)),
    browScaleMax: max(faceDiffs('scale40', brow)),
    browDarkMax: max(faceDiffs('dark35', brow)),
    scaleMax: max(faceDiffs('scale40', (f) => f.confusion_score)),
    scaleMedian: median(faceDiffs('scale40', (f) => f.confusion_score)),
    scaleOver: faceDiffs('scale40', (f) => f.confusion_score).filter((d) => d > 0.15).length,
    darkMax: max(faceDiffs('dark35', (f) => f.confusion_score)),
    darkMedian: median(faceDiffs('dark35', (f) => f.confusion_score)),
    darkOver: faceDiffs('dark35', (f) => f.confusion_score).filter((d) => d > 0.15).length,
    faceItems: faceItems.length,
    calFaces: cal.length,
    calMirrorMax: max(calDiffs('mirror', brow)),
    calBrowScaleMax: max(calDiffs('scale40', brow)),
    calBrowDarkMax: max(calDiffs('dark35', brow)),
    calBrowOver: VARIANTS.map((v) => calDiffs(v, brow).filter((d) => d > 0.15).length).reduce(
      (a, b) => a + b,
    ),
    calScaleMax: max(calDiffs('scale40', (f) => f.confusion_score)),
    calScaleOver: calDiffs('scale40', (f) => f.confusion_score).filter((d) => d > 0.15).length,
    calDarkMax: max(calDiffs('dark35', (f) => f.confusion_score)),
    calDarkOver: calDiffs('dark35', (f) => f.confusion_score).filter((d) => d > 0.15).length,
    count: `${correct}/${total}`,
    countMiss: counted.flatMap((i) =>
      VARIANTS.filter((v) => run.frames.get(i.id)![v].face_count !== i.faces).map(
        (v) => `${i.id}:${v} ${run.frames.get(i.id)![v].face_count}≠${i.faces}`,
      ),
    ),
    smileMax: max(smiles),
    smileCrossed: smiles.filter((s) => s >= cfg.score.threshold).length,
    smiles: smiles.length,
    pairs: p.length,
    hardGapMedian: median(gap('hard')),
    hardGapMin: Math.min(...gap('hard')),
    mildGapMedian: median(gap('mild')),
    hardConfused: p.filter((x) => x.hard.confusion_score >= cfg.score.threshold).length,
    hardConfusedOff: p.filter((x) => scoreOff(x.hard) >= cfg.score.threshold).length,
    mildConfused: p.filter((x) => x.mild.confusion_score >= cfg.score.threshold).length,
    relaxedNeutral: p.filter((x) => scoreBand(x.relaxed.confusion_score) === 'neutral').length,
    relaxedConfused: p.filter((x) => x.relaxed.confusion_score >= cfg.score.threshold).length,
    refLower: median(p.map((x) => x.baseline?.lower ?? NaN)),
    refKnit: median(p.map((x) => x.baseline?.knit ?? NaN)),
    refIrisY: median(p.map((x) => x.baseline?.irisY ?? NaN)),
    refLowerQ1: quantile(
      p.map((x) => x.baseline?.lower ?? NaN),
      0.25,
    ),
    refLowerQ3: quantile(
      p.map((x) => x.baseline?.lower ?? NaN),
      0.75,
    ),
  };
}

async function main(): Promise<void> {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `eval:signals — Node ${process.version}, load ${load}; engine defaults: threshold ${cfg.score.threshold}, brow dead zone ${cfg.score.browDeadZone}, span ${cfg.score.browSpan}`,
  );
  const items = await realItems();
  const variants = new Map<string, Record<Variant, RgbFrame>>();
  for (const item of items) {
    const v = {} as Record<Variant, RgbFrame>;
    for (const k of VARIANTS) v[k] = await variant(item.frame, k);
    variants.set(item.id, v);
  }
  const runs = {} as Record<Mesh, MeshRun>;
  let pairs: Pair[] | null = null;
  for (const mesh of MESHES) {
    const r = await runMesh(mesh, items, variants, pairs);
    runs[mesh] = r.run;
    pairs = r.pairs;
  }
  if (process.env.EVAL_ITEMS !== '0') {
    console.log(
      '\nREAL PHOTOS — brow cue (0..1, population reference) and score for orig / mirror / 40% / 35% light; faces; gaze and eyes orig|mirror',
    );
    for (const item of items) {
      console.log(
        `${item.id}  [faces ${item.faces ?? '?'}, brow_lowered ${item.browLowered}, smile ${item.smile}]  ${item.source}`,
      );
      for (const mesh of MESHES) {
        const r = runs[mesh].frames.get(item.id)!;
        const vs = VARIANTS.map((v) => r[v]);
        console.log(
          `  ${mesh.padEnd(9)} faces ${vs.map((f) => f.face_count).join('/')}  brow ${vs.map((f) => f2(f.signals?.brow)).join(' ')}  score ${vs.map((f) => f2(f.confusion_score)).join(' ')}  happy ${vs.map((f) => f2(f.happy_prob)).join(' ')}  gaze ${r.orig.gaze}|${r.mirror.gaze} eyes ${r.orig.eyes}|${r.mirror.eyes}`,
        );
        const c = runs[mesh].calibratedFrames.get(item.id);
        if (c)
          console.log(
            `  ${''.padEnd(9)} calibrated on orig: brow ${VARIANTS.map((v) => f2(c[v].signals?.brow)).join(' ')}  score ${VARIANTS.map((v) => f2(c[v].confusion_score)).join(' ')}  happy ${VARIANTS.map((v) => f2(c[v].signals?.happy)).join(' ')}`,
          );
      }
    }
    console.log(
      '\nSYNTHETIC FROWNS (kept apart) — calibrated on the relaxed photo; brow cue / score (emotion on) / score (emotion off): relaxed → mild (brows 20% down) → hard (30%); then the change of the measured brow height (`lower`) mild / hard: near 0 = the mesh did not follow the warp',
    );
    for (const [i, p] of (pairs ?? []).entries()) {
      console.log(`${p.id}`);
      for (const mesh of MESHES) {
        const r = runs[mesh].pairs[i]!;
        const cell = (f: FrameResult) => `${f2(brow(f))}/${f2(f.confusion_score)}/${f2(scoreOff(f))}`;
        const pct = (x: number) => `${Number.isFinite(x) ? (100 * x).toFixed(0) : '-'}%`;
        console.log(
          `  ${mesh.padEnd(9)} ${cell(r.relaxed)} → ${cell(r.mild)} → ${cell(r.hard)}   measured brow height ${pct(r.lowerChange[0])} / ${pct(r.lowerChange[1])}`,
        );
      }
    }
  }
  const s = Object.fromEntries(MESHES.map((m) => [m, summary(items, runs[m])])) as Record<
    Mesh,
    ReturnType<typeof summary>
  >;
  const row = (label: string, pick: (x: ReturnType<typeof summary>) => string | number) =>
    console.log(`${label.padEnd(58)} ${MESHES.map((m) => String(pick(s[m])).padStart(14)).join(' ')}`);
  const n = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '-');
  console.log(`\nSUMMARY${' '.repeat(52)}${MESHES.map((m) => m.padStart(14)).join(' ')}`);
  console.log('real photos');
  row(`  AUC of the brow cue for brow_lowered (${s.attention.faceItems} faces, uncalibrated)`, (x) =>
    n(x.auc),
  );
  row('  largest mirror difference of the brow cue', (x) => n(x.mirrorMax));
  row('  median mirror difference of the brow cue', (x) => n(x.mirrorMedian));
  row(
    '  largest brow cue drift at 40% size / at 35% light',
    (x) => `${n(x.browScaleMax)}/${n(x.browDarkMax)}`,
  );
  row(
    '  score drift at 40% size: largest / median / faces > 0.15',
    (x) => `${n(x.scaleMax)}/${n(x.scaleMedian)}/${x.scaleOver}`,
  );
  row(
    '  score drift at 35% light: largest / median / faces > 0.15',
    (x) => `${n(x.darkMax)}/${n(x.darkMedian)}/${x.darkOver}`,
  );
  row('  face count exact (devset, groups, test crops × 4 variants)', (x) => x.count);
  row('  smiling frames scoring ≥ 0.58 (all variants)', (x) => `${x.smileCrossed}/${x.smiles}`);
  row('  highest score of a smiling frame', (x) => n(x.smileMax));
  console.log(
    `real photos, calibrated on the original first (the product's setting: ${s.attention.calFaces} faces that calibrate)`,
  );
  row('  largest brow cue difference: mirror / 40% size / 35% light', (x) =>
    [x.calMirrorMax, x.calBrowScaleMax, x.calBrowDarkMax].map(n).join('/'),
  );
  row('  brow cue moved > 0.15 (faces × the 3 variants)', (x) => x.calBrowOver);
  row('  score drift at 40% size / 35% light: largest', (x) => `${n(x.calScaleMax)}/${n(x.calDarkMax)}`);
  row('  score drift > 0.15 at 40% size / 35% light (faces)', (x) => `${x.calScaleOver}/${x.calDarkOver}`);
  console.log('synthetic same-face pairs (warped real photos, calibrated on the relaxed one)');
  row(`  pairs`, (x) => x.pairs);
  row(
    '  calibrated brow cue gap, hard frown: median / smallest',
    (x) => `${n(x.hardGapMedian)}/${n(x.hardGapMin)}`,
  );
  row('  calibrated brow cue gap, mild frown: median', (x) => n(x.mildGapMedian));
  row('  hard frowns ≥ 0.58, emotion on / emotion off', (x) => `${x.hardConfused}/${x.hardConfusedOff}`);
  row('  mild frowns ≥ 0.58, emotion on', (x) => x.mildConfused);
  row(
    '  relaxed faces after calibration: neutral band / ≥ 0.58',
    (x) => `${x.relaxedNeutral}/${x.relaxedConfused}`,
  );
  console.log('population reference (median of the relaxed real faces)');
  row('  lower / knit / irisY', (x) => `${n(x.refLower)}/${n(x.refKnit)}/${n(x.refIrisY)}`);
  row('  lower: half the interquartile range / median', (x) =>
    n((x.refLowerQ3 - x.refLowerQ1) / 2 / x.refLower),
  );
  row('  run time, s', (x) => (runs[MESHES[MESHES.findIndex((m) => s[m] === x)]!].ms / 1000).toFixed(0));
  for (const m of MESHES)
    if (s[m].countMiss.length) console.log(`face count misses, ${m}: ${s[m].countMiss.join('; ')}`);
  console.log(
    `spread of the brow cue's mirror difference, attention: p90 ${n(
      quantile(
        items
          .filter((i) => i.browLowered !== null)
          .map((i) =>
            Math.abs(
              brow(runs.attention.frames.get(i.id)!.mirror) - brow(runs.attention.frames.get(i.id)!.orig),
            ),
          ),
        0.9,
      ),
    )}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
