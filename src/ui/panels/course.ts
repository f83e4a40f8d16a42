/**
 * The opening view: the course experiment. Loss curves E(k) for the sheet's six learning rates, trained on the GPU
 * (loss recorded every step), beside the float64 reference's curves (replayed in the worker), with a table of the
 * numbers. The preset is part of the state and the link.
 */
import { RELATIVE_ERROR_FLOOR } from '../../core/compare';
import { PRESET_NAMES, PRESETS, type PresetName } from '../../core/presets';
import type { Arithmetic } from '../../core/arithmetic';
import { parseSpec, type SweepSpec } from '../../core/spec';
import type { CellTrace } from '../../cpu/kernel';
import { allocateOutputs, OUTPUT_NAMES } from '../../core/outputs';
import { completedStride, refinementPlan } from '../../core/refine';
import type { SweepProgress } from '../../worker/sweep.worker';
import { drawCurves, SERIES_COLORS } from '../charts';
import { HeatmapView } from '../heatmap/view';
import { byId, el } from '../dom';
import type { Navigation } from '../navigation';
import type { Store } from '../store';
import { proxy, type SweepWorker } from '../sweep-client';
import { traceColumn } from './inspector';
import { fillTable } from '../table';

export const COURSE_LEARNING_RATES = [0.1, 0.2, 0.5, 0.8, 1, 2];
export const COURSE_STEPS = 200;

/** The course experiment as a sweep: one row of six learning rates. */
export function courseSpec(preset: PresetName): SweepSpec {
  const r = parseSpec({ preset, steps: COURSE_STEPS, threshold: 1e-4, x: { param: 'lr', values: COURSE_LEARNING_RATES } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.spec;
}

/** loss[0 … steps] of a replay with every step kept; NaN after a divergence. */
function lossCurve(trace: CellTrace, steps: number): Float64Array {
  const curve = new Float64Array(steps + 1).fill(NaN);
  curve.set(traceColumn(trace, 1));
  return curve;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(6) : '–');

/**
 * Wires the course view on its own `worker` (a course run must not cancel a sweep); `openSweep` opens the full sweep.
 * A run that fails says so in the summary.
 */
export function mountCourse(store: Store, nav: Navigation, worker: SweepWorker, openSweep: () => void): void {
  const root = byId('course'), summary = byId('course-summary');
  for (const name of PRESET_NAMES) {
    const b = el('button', { type: 'button', textContent: name, title: PRESETS[name].description });
    b.dataset.preset = name;
    b.addEventListener('click', () => nav.update({ type: 'course', preset: name }));
    byId('course-presets').append(b);
  }
  byId('open-sweep').addEventListener('click', openSweep);
  let shown: PresetName | undefined, asked = 0, mapShown = false;
  const map = new HeatmapView(byId('course-map', HTMLCanvasElement), (e) => { if (e.type === 'select') openSweep(); }, false);
  map.setMetric('class');
  store.subscribe((s) => [s.tab, s.coursePreset], () => {
    const { tab, coursePreset } = store.get();
    if (tab !== 'course' || coursePreset === shown) return;
    shown = coursePreset;
    const token = ++asked;
    root.querySelectorAll<HTMLButtonElement>('#course-presets button').forEach((b) => b.classList.toggle('chosen', b.dataset.preset === coursePreset));
    summary.textContent = `Training six networks (${coursePreset})…`;
    // The map after the curves, on the same worker: a preset chosen meanwhile cancels it, and it is drawn again after.
    showCourse(root, coursePreset, worker, () => token === asked).then(async () => { if (!mapShown && token === asked) mapShown = await showMap(worker, map); }).catch((e: Error) => {
      if (token !== asked) return;
      shown = undefined; // choosing it again tries again
      summary.textContent = `The course run failed: ${e.message}. Choose a preset to run it again.`;
    });
  });
}

/** Trains the six networks of `preset` and draws them, unless `current()` turns false meanwhile. */
async function showCourse(root: HTMLElement, preset: PresetName, worker: SweepWorker, current: () => boolean): Promise<void> {
  const summary = root.querySelector('#course-summary')!;
  const spec = courseSpec(preset);
  const n = spec.steps + 1;
  const curves = (arithmetic: Arithmetic) => Promise.all(COURSE_LEARNING_RATES.map(async (_, i) => lossCurve(await worker.trace(spec, i, arithmetic), spec.steps)));
  const title = `E(k), ${preset}: ${PRESETS[preset].description}`;
  // float64 first (six replays of 200 steps: milliseconds in the worker), so the chart is there at once; the GPU's
  // curves join it when its run is done.
  const reference = await curves('float64');
  if (!current()) return;
  drawCourse(root, title, reference);
  summary.textContent = `float64 drawn; training the same six networks on the device…`;
  const result = await worker.run(spec, { arithmetic: 'float32', recordLoss: true }, proxy(() => undefined));
  if (!current()) return;
  if (result.status !== 'complete' || result.error) {
    summary.textContent = `The device run did not finish (${result.error ?? result.status}); the chart shows float64 only. Choose a preset to run it again.`;
    return;
  }
  const onGpu = result.ranOn.device === 'webgpu' && result.lossHistory;
  const engine = onGpu ? 'GPU float32' : 'CPU float32';
  const device = onGpu ? COURSE_LEARNING_RATES.map((_, i) => result.lossHistory!.subarray(i * n, (i + 1) * n)) : await curves('float32');
  if (!current()) return;
  drawCourse(root, title, reference, { engine, curves: device });

  const final = device.map((c) => c[n - 1]);
  const best = final.indexOf(Math.min(...final));
  // Relative agreement while E ≥ 1e-9: below that float32 cannot resolve t − a_o (see RELATIVE_ERROR_FLOOR).
  const worstRel = Math.max(0, ...device.flatMap((c, i) => Array.from(c, (v, k) => (reference[i][k] >= RELATIVE_ERROR_FLOOR ? Math.abs(v - reference[i][k]) / reference[i][k] : 0))));
  summary.textContent = `η = ${COURSE_LEARNING_RATES[best]} converges fastest: E(${spec.steps}) = ${fmt(final[best])}. ` +
    `E before any update = ${reference[0][0]} (float64, the sheet's value), ${fmt(device[0][0])} (${engine}). ` +
    `The ${engine} curves stay within ${worstRel.toExponential(1)} (relative) of float64 wherever E ≥ ${RELATIVE_ERROR_FLOOR}.`;

  fillTable(root.querySelector('#course-table')!, [
    ['η', `E(${spec.steps}) ${engine}`, `E(${spec.steps}) float64`, `steps to E < ${spec.threshold}`],
    ...COURSE_LEARNING_RATES.map((lr, i) => {
      const steps = result.outputs.stepsToThreshold[i];
      return [String(lr), fmt(final[i]), fmt(reference[i][n - 1]), steps >= 0 ? String(steps) : `> ${spec.steps}`];
    }),
  ]);
}

/**
 * The chart: one colour per learning rate; float64 thin and dashed on top of the device's wide pale line, so both show
 * where they agree. The legend names the six rates once, and the two line styles in its caption.
 */
function drawCourse(root: HTMLElement, title: string, reference: Float64Array[], device?: { engine: string; curves: ArrayLike<number>[] }): void {
  const series = COURSE_LEARNING_RATES.flatMap((lr, i) => [
    ...(device ? [{ label: `η = ${lr}`, values: device.curves[i], color: `${SERIES_COLORS[i]}88`, width: 5 }] : []),
    { label: `η = ${lr}`, values: reference[i], color: SERIES_COLORS[i], dashed: device !== undefined, width: 1.5, hideLegend: device !== undefined },
  ]);
  drawCurves(root.querySelector<HTMLElement>('#course-chart')!, title, series, { log: true, yLabel: 'E (log)', height: 380 });
  root.querySelector('#course-caption')!.textContent = device
    ? `Wide pale lines: ${device.engine} (the WGSL kernel). Thin dashed lines on top: float64, the exact reference. Where they overlap, the two agree.`
    : 'float64, the exact reference; the device run follows.';
}

/** The map beside the curves: learning rate × initial-weight scale, 64 × 64 cells, coarse first. */
const MAP_SPEC = { preset: 'era-v1', steps: 300, threshold: 1e-4, x: { param: 'lr', min: 0.01, max: 100, count: 64, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 64, scale: 'log' } };

/**
 * Fills the course page's small map as its cells arrive (after the curves, on the same worker); a click opens the full
 * sweep. Resolves to whether it completed.
 */
async function showMap(worker: SweepWorker, map: HeatmapView): Promise<boolean> {
  const r = parseSpec(MAP_SPEC);
  if (!r.ok) throw new Error(r.errors.join('; '));
  const spec = r.spec, plan = refinementPlan(64, 64, 256);
  const outputs = allocateOutputs(64 * 64), fill = { computed: new Uint8Array(64 * 64), stride: undefined as number | undefined };
  map.show({ kind: 'outputs', spec, outputs, fill, order: plan.order });
  let done = 0;
  const result = await worker.run(spec, { arithmetic: 'auto', cellOrder: plan.order, tileCells: 256, firstTileCells: 256 }, proxy((p: SweepProgress) => {
    if (!p.fresh) return;
    const { first, outputs: fresh } = p.fresh;
    for (let j = 0; j < fresh.finalLoss.length; j++) {
      const cell = plan.order[first + j];
      for (const name of OUTPUT_NAMES) outputs[name][cell] = fresh[name][j];
      fill.computed[cell] = 1;
    }
    done = first + fresh.finalLoss.length;
    const stride = completedStride(plan, done), passFinished = stride !== fill.stride;
    fill.stride = stride;
    map.progress(done, passFinished);
  }));
  return result.status === 'complete' && !result.error;
}
