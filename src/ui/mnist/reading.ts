/** The MNIST view's reading of digits: the selected copy's misclassified test digits, and the drawing pad it reads. */
import type { DigitSet } from '../../mnist/idx';
import { referenceConv } from '../../mnist/conv';
import { CLASSES, DEFAULT_MODEL, placeModel } from '../../mnist/model';
import { FLOAT64_ARENA, Network } from '../../mnist/network';
import { formatPercent } from '../../mnist/sweep';
import { PIXEL_MEAN, PIXEL_STD } from '../../mnist/training';
import { fetchTestSet } from '../../worker/mnist-data';
import { byId, el } from '../dom';
import { toMnistDigit } from './digit';
import { mountPad } from './pad';

const model = placeModel(DEFAULT_MODEL);
const percent = formatPercent;

/** What the gallery and the pad read with: the selected copy's test predictions and weights, and its name ("Copy 1 reads"). */
export interface Reader { reads: string; predictions?: Uint8Array; weights?: { params: ArrayLike<number>; stats: ArrayLike<number> } }

/** Mounts the gallery and the drawing pad; `render` redraws both for what `reader` gives now. */
export function mountReading(reader: () => Reader): { render(): void } {
  let test: Promise<DigitSet> | undefined;
  const pad = mountPad(() => predict());

  function testSet(): Promise<DigitSet> {
    test ??= fetchTestSet().catch((e: Error) => { test = undefined; throw e; });
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
    const predictions = reader().predictions;
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




  function bar(p: number): HTMLSpanElement {
    const span = el('span', { className: 'bar' });
    span.style.width = `${(100 * p).toFixed(1)}%`;
    return span;
  }

  function predict(): void {
    const out = byId('mnist-prediction'), bars = byId('mnist-probabilities');
    const { weights, reads } = reader();
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
    out.textContent = `${reads} ${best} (${percent(probabilities[best])} sure).`;
    bars.replaceChildren(...Array.from({ length: CLASSES }, (_, k) => el('div', { className: 'prob' }, [
      el('span', { textContent: String(k) }),
      bar(probabilities[k]),
      el('span', { textContent: percent(probabilities[k]) }),
    ])));
  }

  return { render() { void renderGallery(); predict(); } };
}
