/**
 * The opening view: the course experiment. Loss curves E(k) for the sheet's six learning rates, trained on the GPU
 * (loss recorded every step), beside the float64 reference's curves, with a table of the numbers.
 */
import { RELATIVE_ERROR_FLOOR } from '../core/compare';
import { PRESET_NAMES, PRESETS, type PresetName } from '../core/presets';
import type { ReferencePrecision } from '../core/reference';
import { parseSpec, type SweepSpec } from '../core/spec';
import type { CellTrace } from '../cpu/kernel';
import type { SweepRunResult } from '../worker/sweep.worker';
import { drawCurves, SERIES_COLORS } from './charts';
import { traceColumn } from './inspector';
import { fillTable } from './table';

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

export class CourseView {
  /**
   * @param runSweep trains the six networks on the GPU, recording every loss
   * @param replay one cell on the CPU engine in a worker, every step kept
   */
  constructor(private readonly root: HTMLElement, private readonly runSweep: (spec: SweepSpec) => Promise<SweepRunResult>,
    private readonly replay: (spec: SweepSpec, cell: number, precision: ReferencePrecision) => Promise<CellTrace>) {
    const buttons = root.querySelector('#course-presets')!;
    for (const name of PRESET_NAMES) {
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: name, title: PRESETS[name].description });
      b.dataset.preset = name;
      b.addEventListener('click', () => void this.show(name));
      buttons.append(b);
    }
  }

  /** Trains the six networks of `preset` and draws them. */
  async show(preset: PresetName): Promise<void> {
    this.root.querySelectorAll<HTMLButtonElement>('#course-presets button').forEach((b) => b.classList.toggle('chosen', b.dataset.preset === preset));
    const summary = this.root.querySelector('#course-summary')!;
    summary.textContent = `Training six networks (${preset})…`;
    const spec = courseSpec(preset);
    const result = await this.runSweep(spec);
    if (result.status !== 'complete' || result.error) {
      summary.textContent = `The course run did not finish (${result.error ?? result.status}); choose a preset to run it again.`;
      return;
    }
    const n = spec.steps + 1;
    const onGpu = result.backend.kind === 'webgpu' && result.lossHistory;
    const engine = onGpu ? 'GPU' : 'CPU float32';
    const curves = (precision: ReferencePrecision) => Promise.all(COURSE_LEARNING_RATES.map(async (_, i) => lossCurve(await this.replay(spec, i, precision), spec.steps)));
    const device = onGpu ? COURSE_LEARNING_RATES.map((_, i) => result.lossHistory!.subarray(i * n, (i + 1) * n)) : await curves('f32');
    const reference = await curves('f64');
    drawCurves(this.root.querySelector<HTMLElement>('#course-chart')!, `E(k), ${preset}: ${PRESETS[preset].description}`, COURSE_LEARNING_RATES.flatMap((lr, i) => [
      { label: `η = ${lr} (${engine})`, values: device[i], color: SERIES_COLORS[i] },
      { label: `η = ${lr} (float64)`, values: reference[i], color: SERIES_COLORS[i], dashed: true },
    ]), { log: true, yLabel: 'E (log)', height: 380 });

    const final = device.map((c) => c[n - 1]);
    const best = final.indexOf(Math.min(...final));
    // Relative agreement while E ≥ 1e-9: below that float32 cannot resolve t − a_o (see RELATIVE_ERROR_FLOOR).
    const worstRel = Math.max(0, ...device.flatMap((c, i) => Array.from(c, (v, k) => (reference[i][k] >= RELATIVE_ERROR_FLOOR ? Math.abs(v - reference[i][k]) / reference[i][k] : 0))));
    summary.textContent = `η = ${COURSE_LEARNING_RATES[best]} converges fastest: E(${spec.steps}) = ${fmt(final[best])}. ` +
      `E before any update = ${reference[0][0]} (float64), ${fmt(device[0][0])} (${engine}). ` +
      `The ${engine} curves stay within ${worstRel.toExponential(1)} (relative) of the float64 reference wherever E ≥ ${RELATIVE_ERROR_FLOOR}.`;

    fillTable(this.root.querySelector('#course-table')!, [
      ['η', `E(${spec.steps}) ${engine}`, `E(${spec.steps}) float64`, `steps to E < ${spec.threshold}`],
      ...COURSE_LEARNING_RATES.map((lr, i) => {
        const steps = result.outputs.stepsToThreshold[i];
        return [String(lr), fmt(final[i]), fmt(reference[i][n - 1]), steps >= 0 ? String(steps) : `> ${spec.steps}`];
      }),
    ]);
  }
}
