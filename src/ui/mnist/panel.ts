/**
 * The MNIST view: the settings form, a sweep's live curves, table and accuracy heatmap, the selected copy's
 * misclassified test digits, and a canvas to draw a digit for it. This panel owns the view's state (the sweep's
 * results, each copy's latest weights and predictions, the selection); training runs in src/worker/mnist.worker.ts.
 */
import * as Comlink from 'comlink';
import { viridis } from '../../core/heatmap';
import type { DigitSet } from '../../mnist/idx';
import { referenceConv } from '../../mnist/conv';
import { DEFAULT_MODEL, describeLayer, placeModel } from '../../mnist/model';
import { FLOAT64_ARENA, Network } from '../../mnist/network';
import { bestEpoch, checkWeights, formatPercent, newResults, weightsFile, type MnistResults, type WeightsFile } from '../../mnist/sweep';
import { CLASSES } from '../../mnist/model';
import { PIXEL_MEAN, PIXEL_STD } from '../../mnist/training';
import type { MnistEvent, MnistWorkerApi } from '../../worker/mnist.worker';
import { fetchTestSet } from '../../worker/mnist-data';
import { drawCurves, replaceChart, SERIES_COLORS } from '../charts';
import { byId, el } from '../dom';
import { download } from '../download';
import { toMnistDigit } from './digit';
import { mountPad } from './pad';
import { readMnistForm, type MnistFormValues } from './form';
import { accuracyGrid } from '../../mnist/grid';
import { accuracyColourRange } from '../../mnist/figure';

const model = placeModel(DEFAULT_MODEL);
const percent = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : formatPercent(x));

/** One copy's latest trained state on the page. */
interface CopyState { params?: Float32Array | Float64Array; stats?: Float32Array | Float64Array; predictions?: Uint8Array; progress?: string }

/** Weights loaded from a file, evaluated on the test set. */
interface Loaded { name: string; file: WeightsFile; accuracy?: number; predictions?: Uint8Array }

export function mountMnist(): { show(): void } {
  const worker = Comlink.wrap<MnistWorkerApi>(new Worker(new URL('../../worker/mnist.worker.ts', import.meta.url), { type: 'module' }));
  let results: MnistResults | undefined;
  let copies: CopyState[] = [];
  let loaded: Loaded | undefined;
  /** The copy shown in the gallery and used by the drawing: an index into results.copies, or 'loaded'. */
  let selected: number | 'loaded' = 0;
  let running = false;
  let test: DigitSet | undefined;
  let started = false;

  const form = byId('mnist-form', HTMLFormElement);
  const status = byId('mnist-status'), errors = byId('mnist-errors'), progress = byId('mnist-progress', HTMLProgressElement);
  const runButton = byId('mnist-run', HTMLButtonElement), stopButton = byId('mnist-stop', HTMLButtonElement);
  byId('mnist-params').textContent = model.paramCount.toLocaleString('en-US');
  byId('mnist-layers').replaceChildren(
    el('thead', {}, [el('tr', {}, ['layer', 'shape', 'parameters', 'receptive field'].map((h) => el('th', { textContent: h })))]),
    el('tbody', {}, model.layers.map((l) => el('tr', {}, [
      el('td', { textContent: l.spec.kind + ('out' in l.spec ? ` ${l.input.c}→${l.spec.out}` : '') }),
      el('td', { textContent: `${l.output.c}×${l.output.h}×${l.output.w}` }),
      el('td', { textContent: l.paramCount ? String(l.paramCount) : '' }),
      el('td', { textContent: String(l.receptiveField), title: describeLayer(l) }),
    ]))),
  );

  const values = (): MnistFormValues => Object.fromEntries(new FormData(form)) as unknown as MnistFormValues;
  const plan = () => {
    const read = readMnistForm(values());
    byId('mnist-plan').textContent = read.ok ? `${read.copies.length} ${read.copies.length === 1 ? 'copy' : 'copies'} × ${read.run.epochs} ${read.run.epochs === 1 ? 'epoch' : 'epochs'} × ${read.run.trainLimit.toLocaleString('en-US')} images = ${(read.copies.length * read.run.epochs * read.run.trainLimit).toLocaleString('en-US')} image-steps` : '';
  };
  form.addEventListener('input', plan);
  plan();

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void start();
  });
  stopButton.addEventListener('click', () => {
    void worker.stop();
    status.textContent = 'Stopping; every finished epoch stays.';
  });

  async function start(): Promise<void> {
    if (running) return;
    const read = readMnistForm(values());
    errors.textContent = read.ok ? '' : read.errors.join('\n');
    if (!read.ok) return;
    // Claimed before the first await: a second submit meanwhile is ignored, never a second sweep.
    running = true;
    const trainHadFocus = document.activeElement === runButton;
    runButton.disabled = true;
    const engine = await worker.engine(byId('mnist-engine', HTMLSelectElement).value as 'auto' | 'webgpu' | 'cpu');
    const sweep = newResults(read.run, read.copies, engine.device === 'webgpu' ? `webgpu (${engine.why})` : `cpu (float32 WebAssembly, ${engine.threads} threads)`);
    // Every copy trains at once on the GPU; on the CPU a copy waits for a free core (its first progress marks it running).
    sweep.copies.forEach((c) => { c.state = engine.device === 'webgpu' ? 'running' : 'waiting'; });
    results = sweep;
    copies = read.copies.map(() => ({}));
    selected = 0;
    stopButton.disabled = false;
    if (trainHadFocus) stopButton.focus(); // a disabled button drops the keyboard's focus
    status.textContent = `Training on ${engine.device === 'webgpu' ? 'the GPU' : `the CPU (${engine.threads} threads)`}: ${engine.why}`;
    progress.value = 0;
    render();
    const totalSteps = read.copies.length * read.run.epochs;
    try {
      const outcome = await worker.train(DEFAULT_MODEL as never, read.run, read.copies, engine.device, Comlink.proxy((event: MnistEvent) => { if (results === sweep) onEvent(event, totalSteps); }));
      for (const c of results.copies) if (c.state === 'running' || c.state === 'waiting') c.state = outcome === 'stopped' ? 'stopped' : 'finished';
      status.textContent = outcome === 'stopped' ? 'Stopped. The epochs finished before the stop are kept below.' : `Finished: ${summary()}`;
      if (outcome === 'finished') progress.value = 1;
    } catch (e) {
      for (const c of results.copies) if (c.state === 'running') c.state = 'failed';
      status.textContent = '';
      errors.textContent = `Training failed: ${(e as Error).message}. The epochs finished before are kept below.`;
    }
    running = false;
    runButton.disabled = false;
    const stopHadFocus = document.activeElement === stopButton || document.activeElement === document.body;
    stopButton.disabled = true;
    if (stopHadFocus) runButton.focus();
    render();
  }

  function summary(): string {
    if (!results) return '';
    let best = -1, at = 0;
    results.copies.forEach((c, i) => { const b = bestEpoch(c); if (b && b.testAccuracy > best) { best = b.testAccuracy; at = i; } });
    const s = results.copies[at]?.settings;
    return best < 0 ? 'no epoch finished' : `best test accuracy ${percent(best)} (copy ${at}: lr ${s.lr}, dropout ${s.dropout}, seed ${s.seed}) on ${results.run.testLimit.toLocaleString('en-US')} test images`;
  }

  function onEvent(event: MnistEvent, totalSteps: number): void {
    if (!results) return;
    if (event.type === 'status') { status.textContent = event.text; return; }
    if (event.type === 'progress') {
      if (results.copies[event.copy].state === 'waiting') results.copies[event.copy].state = 'running';
      copies[event.copy].progress = `epoch ${event.epoch + 1}: ${Math.round((100 * event.iteration) / event.iterations)}%`;
      const done = results.copies.reduce((a, c) => a + c.epochs.length, 0) + (event.iteration / event.iterations);
      progress.value = Math.min(1, done / totalSteps);
      status.textContent = `Training: ${Math.round(100 * progress.value)}% of ${totalSteps} copy-epochs`;
      renderTable();
      return;
    }
    const record = results.copies[event.copy];
    if (event.type === 'epoch') {
      record.epochs.push(event.metrics);
      copies[event.copy] = { params: event.params, stats: event.stats, predictions: event.predictions };
      render();
    } else if (event.type === 'copy-done') {
      record.state = 'finished';
      renderTable();
    } else {
      record.state = 'failed';
      record.error = event.message;
      errors.textContent = `Copy ${event.copy} failed: ${event.message}`;
      renderTable();
    }
  }

  // --- rendering -------------------------------------------------------------------------------------------------

  function render(): void {
    renderTable();
    renderCharts();
    renderHeatmap();
    void renderGallery();
    predict();
    byId('mnist-export', HTMLButtonElement).disabled = !results;
    byId('mnist-export-weights', HTMLButtonElement).disabled = selectedWeights() === undefined;
  }

  function renderTable(): void {
    const rows: HTMLTableRowElement[] = [];
    results?.copies.forEach((c, i) => {
      const last = c.epochs.at(-1), best = bestEpoch(c);
      const state = c.state === 'running' && copies[i]?.progress ? copies[i].progress! : c.state;
      const row = el('tr', { className: selected === i ? 'selected' : '' }, [
        el('td', {}, [el('input', { type: 'radio', name: 'mnist-copy', checked: selected === i, ariaLabel: `select copy ${i}` })]),
        ...[String(i), String(c.settings.lr), String(c.settings.dropout), String(c.settings.seed), `${c.epochs.length}/${results!.run.epochs}`,
          last ? last.trainLoss.toFixed(4) : '–', percent(last?.testAccuracy), best ? `${percent(best.testAccuracy)} (${best.epoch})` : '–', state].map((t) => el('td', { textContent: t })),
      ]);
      row.addEventListener('click', () => select(i));
      rows.push(row);
    });
    if (loaded) {
      const row = el('tr', { className: selected === 'loaded' ? 'selected' : '' }, [
        el('td', {}, [el('input', { type: 'radio', name: 'mnist-copy', checked: selected === 'loaded', ariaLabel: 'select the loaded weights' })]),
        ...['loaded', String(loaded.file.settings.lr), String(loaded.file.settings.dropout), String(loaded.file.settings.seed), String(loaded.file.epochs), '–',
          loaded.accuracy === undefined ? '…' : `${percent(loaded.accuracy)} (all 10,000)`, '–', loaded.name].map((t) => el('td', { textContent: t })),
      ]);
      row.addEventListener('click', () => select('loaded'));
      rows.push(row);
    }
    // Rebuilding the table must not drop the keyboard's focus: it returns to the selected copy's radio.
    const table = byId('mnist-table'), hadFocus = table.contains(document.activeElement);
    table.replaceChildren(
      el('thead', {}, [el('tr', {}, ['', 'copy', 'lr', 'dropout', 'seed', 'epochs', 'train loss', 'test acc', 'best (epoch)', 'state'].map((h) => el('th', { textContent: h })))]),
      el('tbody', {}, rows),
    );
    if (hadFocus) table.querySelector<HTMLInputElement>('tr.selected input')?.focus();
  }

  function select(copy: number | 'loaded'): void {
    selected = copy;
    render();
  }

  function renderCharts(): void {
    const accuracy = byId('mnist-accuracy-chart'), loss = byId('mnist-loss-chart');
    const n = results ? Math.max(0, ...results.copies.map((c) => c.epochs.length)) : 0;
    if (!results || n === 0) {
      for (const [target, what] of [[accuracy, 'test accuracy'], [loss, 'training loss']] as const) {
        replaceChart(target);
        target.append(el('p', { className: 'muted chart-placeholder', textContent: `Each copy's ${what} per epoch appears here after its first epoch.` }));
      }
      return;
    }
    const series = (pick: (e: MnistResults['copies'][number]['epochs'][number]) => number) => results!.copies.map((c, i) => ({
      label: `lr ${c.settings.lr} · d ${c.settings.dropout} · s ${c.settings.seed}`,
      values: Array.from({ length: n }, (_, k) => (c.epochs[k] ? pick(c.epochs[k]) : NaN)),
      color: SERIES_COLORS[i % SERIES_COLORS.length],
      width: selected === i ? 3 : 1.5,
    }));
    drawCurves(accuracy, 'Test accuracy (%) per epoch', series((e) => 100 * e.testAccuracy), { log: false, yLabel: 'test accuracy %', xLabel: 'epoch', firstX: 1, height: 260, points: true, wholeX: true });
    drawCurves(loss, 'Training loss per epoch', series((e) => e.trainLoss), { log: true, yLabel: 'loss (NLL)', xLabel: 'epoch', firstX: 1, height: 260, points: true, wholeX: true });
  }

  function renderHeatmap(): void {
    const grid = results ? accuracyGrid(results, true) : null;
    const range = grid && accuracyColourRange(grid.values.flat());
    byId('mnist-heatmap-box').hidden = !range;
    if (!grid || !range) return;
    const canvas = byId('mnist-heatmap', HTMLCanvasElement), ctx = canvas.getContext('2d')!;
    const left = 90, top = 10, bottom = 40, width = canvas.width - left - 10, height = canvas.height - top - bottom;
    const cw = width / grid.xs.length, ch = height / grid.ys.length;
    const { lo, hi } = range;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    grid.values.forEach((row, yi) => row.forEach((v, xi) => {
      const x = left + xi * cw, y = top + (grid.ys.length - 1 - yi) * ch;
      if (Number.isNaN(v)) { ctx.fillStyle = '#ddd'; ctx.fillRect(x, y, cw - 1, ch - 1); return; }
      const [r, g, b] = viridis(hi > lo ? (v - lo) / (hi - lo) : 1);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, y, cw - 1, ch - 1);
      ctx.fillStyle = (r + g + b) / 3 > 128 ? '#000' : '#fff';
      ctx.fillText(percent(v), x + cw / 2, y + ch / 2);
    }));
    ctx.fillStyle = '#222';
    grid.xs.forEach((v, xi) => ctx.fillText(String(v), left + (xi + 0.5) * cw, top + height + 12));
    ctx.fillText(grid.x === 'lr' ? 'learning rate' : grid.x, left + width / 2, top + height + 30);
    ctx.textAlign = 'right';
    grid.ys.forEach((v, yi) => ctx.fillText(String(v), left - 8, top + (grid.ys.length - 1 - yi + 0.5) * ch));
    ctx.save();
    ctx.translate(14, top + height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(grid.y, 0, 0);
    ctx.restore();
    byId('mnist-heatmap-caption').textContent = `Colours run from ${percent(lo)} (dark) to ${percent(hi)} (yellow), the range found widened to at least one percentage point; read the numbers${results!.copies.some((c) => c.epochs.length < results!.run.epochs) ? '; cells of copies still training show their latest epoch' : ''}. Each cell is ${grid.copies[0][0].length > 1 ? `the mean of ${grid.copies[0][0].length} copies (the third setting)` : 'one copy'}.`;
    canvas.setAttribute('aria-label', `Final test accuracy: ${grid.ys.map((y, yi) => grid.xs.map((x, xi) => `${grid.x} ${x}, ${grid.y} ${y}: ${percent(grid.values[yi][xi])}`).join('; ')).join('; ')}`);
  }

  function selectedPredictions(): Uint8Array | undefined {
    return selected === 'loaded' ? loaded?.predictions : copies[selected]?.predictions;
  }

  function selectedWeights(): { params: ArrayLike<number>; stats: ArrayLike<number> } | undefined {
    if (selected === 'loaded') return loaded ? { params: loaded.file.params, stats: loaded.file.stats } : undefined;
    const c = copies[selected];
    return c?.params && c.stats ? { params: c.params, stats: c.stats } : undefined;
  }

  async function testSet(): Promise<DigitSet> {
    test ??= await fetchTestSet();
    return test;
  }

  function digitCanvas(pixels: Uint8Array | Float32Array, scale: number): HTMLCanvasElement {
    const canvas = el('canvas', { width: 28, height: 28 });
    const image = new ImageData(28, 28);
    for (let j = 0; j < 784; j++) {
      const v = Math.round(pixels[j] * scale);
      image.data.set([v, v, v, 255], 4 * j);
    }
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    return canvas;
  }

  async function renderGallery(): Promise<void> {
    const gallery = byId('mnist-gallery'), caption = byId('mnist-gallery-caption');
    const predictions = selectedPredictions();
    if (!predictions) { gallery.replaceChildren(); caption.textContent = 'After the first epoch, the digits the selected copy gets wrong appear here.'; return; }
    const set = await testSet();
    const wrong: number[] = [];
    for (let i = 0; i < predictions.length; i++) if (predictions[i] !== set.labels[i]) wrong.push(i);
    caption.textContent = `${wrong.length} of ${predictions.length.toLocaleString('en-US')} test digits wrong (${percent(wrong.length / predictions.length)} error); the first ${Math.min(48, wrong.length)}, as "true → predicted" (choose one to put it on the drawing pad):`;
    gallery.replaceChildren(...wrong.slice(0, 48).map((i) => {
      const canvas = digitCanvas(set.images.subarray(i * 784, (i + 1) * 784), 1);
      const button = el('button', { type: 'button', title: 'Put it on the drawing pad and read it again', ariaLabel: `test image ${i}: a ${set.labels[i]}, predicted ${predictions[i]}; put it on the drawing pad` }, [canvas]);
      button.addEventListener('click', () => { pad.show(canvas); predict(); });
      return el('figure', {}, [button, el('figcaption', { textContent: `${set.labels[i]} → ${predictions[i]}` })]);
    }));
  }

  // --- drawing ---------------------------------------------------------------------------------------------------

  const pad = mountPad(() => predict());

  function bar(p: number): HTMLSpanElement {
    const span = el('span', { className: 'bar' });
    span.style.width = `${(100 * p).toFixed(1)}%`;
    return span;
  }

  function predict(): void {
    const out = byId('mnist-prediction'), bars = byId('mnist-probabilities');
    const weights = selectedWeights();
    const ink = pad.ink();
    const digit = toMnistDigit(ink.values, ink.width, ink.height);
    if (!weights) { out.textContent = 'Train or load a copy, then draw.'; bars.replaceChildren(); return; }
    if (!digit) { out.textContent = 'Draw a digit above (mouse, finger or pen).'; bars.replaceChildren(); return; }
    const net = new Network(model, 1, FLOAT64_ARENA, referenceConv);
    net.params.set(weights.params);
    net.stats.set(weights.stats);
    for (let j = 0; j < 784; j++) net.input[j] = (digit[j] - PIXEL_MEAN) / PIXEL_STD;
    const logits = net.forward(1, { train: false, dropout: 0, maskSeed: 0, maskStep: 0 });
    const max = Math.max(...logits), exps = Array.from(logits, (z) => Math.exp(z - max)), sum = exps.reduce((a, b) => a + b, 0);
    const probabilities = exps.map((e) => e / sum);
    const best = probabilities.indexOf(Math.max(...probabilities));
    out.textContent = `${selected === 'loaded' ? 'The loaded weights read' : `Copy ${selected} reads`} ${best} (${percent(probabilities[best])} sure).`;
    bars.replaceChildren(...Array.from({ length: CLASSES }, (_, k) => el('div', { className: 'prob' }, [
      el('span', { textContent: String(k) }),
      bar(probabilities[k]),
      el('span', { textContent: percent(probabilities[k]) }),
    ])));
  }

  // --- files -----------------------------------------------------------------------------------------------------

  byId('mnist-export').addEventListener('click', () => {
    if (results) download('mnist.json', new Blob([`${JSON.stringify(results, null, 1)}\n`], { type: 'application/json' }));
  });
  byId('mnist-export-weights').addEventListener('click', () => {
    const w = selectedWeights();
    if (!w || !results) return;
    const settings = selected === 'loaded' ? loaded!.file.settings : results.copies[selected].settings;
    const epochs = selected === 'loaded' ? loaded!.file.epochs : results.copies[selected].epochs.length;
    const file = weightsFile(DEFAULT_MODEL, settings, epochs, w.params, w.stats);
    download(`weights-${selected}.json`, new Blob([JSON.stringify(file)], { type: 'application/json' }));
  });
  byId('mnist-load', HTMLInputElement).addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement, chosen = input.files?.[0];
    input.value = '';
    if (!chosen) return;
    try {
      const file = checkWeights(JSON.parse(await chosen.text()));
      if (JSON.stringify(file.model) !== JSON.stringify(DEFAULT_MODEL)) throw new Error('its model differs from this page\'s model');
      loaded = { name: chosen.name, file };
      selected = 'loaded';
      errors.textContent = '';
      status.textContent = `Loaded ${chosen.name}; evaluating it on the test set…`;
      render();
      const evaluation = await worker.evaluate(file.model, file.params, file.stats);
      loaded.accuracy = evaluation.accuracy;
      loaded.predictions = evaluation.predictions;
      status.textContent = `${chosen.name}: ${percent(evaluation.accuracy)} on the 10,000 test images.`;
      render();
    } catch (error) {
      errors.textContent = `${chosen.name} could not be loaded: ${(error as Error).message}. Choose a weights-<copy>.json written by this page or by npm run mnist.`;
    }
  });

  return {
    show() {
      if (started) return;
      started = true;
      render();
    },
  };
}
