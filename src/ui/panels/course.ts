/**
 * The opening view: the course experiment. Loss curves E(k) for the sheet's six learning rates, trained on the GPU
 * (loss recorded every step), beside the float64 reference's curves (replayed in the worker), with a table of the
 * numbers, and a map of the same preset beside them. The preset is part of the state and the link.
 */
import { RELATIVE_ERROR_FLOOR } from '../../core/compare';
import { PRESET_NAMES, PRESETS, type PresetName } from '../../core/presets';
import type { Arithmetic } from '../../core/arithmetic';
import { gridSize } from '../../core/grid';
import type { SweepSpec } from '../../core/spec';
import type { CellTrace } from '../../cpu/kernel';
import { allocateOutputs, OUTPUT_NAMES, type SweepOutputs } from '../../core/outputs';
import { completedStride, refinementPlan, type RefinementPlan } from '../../core/refine';
import type { SweepProgress } from '../../worker/sweep.worker';
import { drawCurves, SERIES_COLORS } from '../charts';
import { COURSE_LEARNING_RATES, courseMapSpec, courseSpec, courseVerdict, fullSweepSpec } from '../course-plan';
import { HeatmapView } from '../heatmap/view';
import { byId, el } from '../dom';
import type { Navigation } from '../navigation';
import type { Store } from '../store';
import { proxy, type SweepWorker } from '../sweep-client';
import { traceColumn } from '../replay';
import { fillTable } from '../table';

/** loss[0 … steps] of a replay with every step kept; NaN after a divergence. */
function lossCurve(trace: CellTrace, steps: number): Float64Array {
  const curve = new Float64Array(steps + 1).fill(NaN);
  curve.set(traceColumn(trace, 1));
  return curve;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(6) : '–');

/**
 * Wires the course view on its own `worker` (a course run must not cancel a sweep). The map beside the curves and the
 * full sweep "Open the full sweep" opens are of the chosen preset. A run that fails says so in the summary.
 */
export function mountCourse(store: Store, nav: Navigation, worker: SweepWorker): void {
  const root = byId('course'), summary = byId('course-summary');
  for (const name of PRESET_NAMES) {
    const b = el('button', { type: 'button', textContent: name, title: PRESETS[name].description });
    b.dataset.preset = name;
    b.addEventListener('click', () => nav.update({ type: 'course', preset: name }));
    byId('course-presets').append(b);
  }
  const openSweep = () => nav.open({ spec: fullSweepSpec(store.get().coursePreset), arithmetic: store.get().view?.arithmetic ?? 'auto' });
  byId('open-sweep').addEventListener('click', openSweep);
  let shown: PresetName | undefined, asked = 0;
  const map = new HeatmapView(byId('course-map', HTMLCanvasElement), (e) => { if (e.type === 'select') openSweep(); }, false);
  map.setMetric('class');
  const maps = new Map<PresetName, CourseMap>();
  store.subscribe((s) => [s.tab, s.coursePreset], () => {
    const { tab, coursePreset } = store.get();
    if (tab !== 'course' || coursePreset === shown) return;
    shown = coursePreset;
    const token = ++asked, current = () => token === asked;
    root.querySelectorAll<HTMLButtonElement>('#course-presets button').forEach((b) => b.classList.toggle('chosen', b.dataset.preset === coursePreset));
    summary.textContent = `Training six networks (${coursePreset})…`;
    labelMap(coursePreset);
    // The preset's map: at once when computed before, else after the curves, on the same worker (a preset chosen
    // meanwhile supersedes its run, and it starts again when chosen again).
    const done = maps.get(coursePreset);
    if (done) map.show(done.data, done.data.outputs.finalLoss.length);
    else map.show(`The map of ${coursePreset} follows the curves…`);
    showCourse(root, coursePreset, worker, current).then(async () => {
      if (!done && current()) { const made = await showMap(worker, map, coursePreset, current); if (made) maps.set(coursePreset, made); }
    }).catch((e: Error) => {
      if (!current()) return;
      shown = undefined; // choosing it again tries again
      summary.textContent = `The course run failed: ${e.message}. Choose a preset to run it again.`;
    });
  });
}

/** Names the preset on the map, its caption and the button that opens its full sweep. */
function labelMap(preset: PresetName): void {
  const { nx, ny } = gridSize(courseMapSpec(preset)), steps = courseMapSpec(preset).steps;
  byId('course-map-caption').textContent = `${preset}: class of each cell after ${steps} steps, learning rate × initial-weight scale (${nx} × ${ny} cells). Click it to open the full sweep.`;
  byId('course-map').setAttribute('aria-label', `A live class map of ${preset}, learning rate × initial-weight scale, filling in; click it to open the full sweep`);
  byId('open-sweep').textContent = `Open the full sweep of ${preset}: learning rate × initial-weight scale →`;
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
  // Relative agreement while E ≥ 1e-9: below that float32 cannot resolve t − a_o (see RELATIVE_ERROR_FLOOR).
  const worstRel = Math.max(0, ...device.flatMap((c, i) => Array.from(c, (v, k) => (reference[i][k] >= RELATIVE_ERROR_FLOOR ? Math.abs(v - reference[i][k]) / reference[i][k] : 0))));
  summary.textContent = `${courseVerdict(COURSE_LEARNING_RATES, result.outputs.stepsToThreshold, final, spec.steps, spec.threshold)} ` +
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

/** A map of the course page, computed. */
interface CourseMap { data: { kind: 'outputs'; spec: SweepSpec; outputs: SweepOutputs; fill: { computed: Uint8Array; stride: number | undefined }; order: Int32Array } }

/**
 * Fills the course page's small map of `preset` as its cells arrive (after the curves, on the same worker), while
 * `current()` holds; a click opens the full sweep. Resolves to the map when it completed.
 */
async function showMap(worker: SweepWorker, map: HeatmapView, preset: PresetName, current: () => boolean): Promise<CourseMap | undefined> {
  const spec = courseMapSpec(preset), { nx, ny, cells } = gridSize(spec), plan: RefinementPlan = refinementPlan(nx, ny, 256);
  const data: CourseMap['data'] = { kind: 'outputs', spec, outputs: allocateOutputs(cells), fill: { computed: new Uint8Array(cells), stride: undefined }, order: plan.order };
  map.show(data);
  const result = await worker.run(spec, { arithmetic: 'auto', cellOrder: plan.order, tileCells: 256, firstTileCells: 256 }, proxy((p: SweepProgress) => {
    if (!p.fresh) return;
    const { first, outputs: fresh } = p.fresh;
    for (let j = 0; j < fresh.finalLoss.length; j++) {
      const cell = plan.order[first + j];
      for (const name of OUTPUT_NAMES) data.outputs[name][cell] = fresh[name][j];
      data.fill.computed[cell] = 1;
    }
    const done = first + fresh.finalLoss.length, stride = completedStride(plan, done), passFinished = stride !== data.fill.stride;
    data.fill.stride = stride;
    if (current()) map.progress(done, passFinished); // (a preset chosen meanwhile shows its own map)
  }));
  return result.status === 'complete' && !result.error ? { data } : undefined;
}
