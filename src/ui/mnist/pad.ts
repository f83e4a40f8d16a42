/**
 * The drawing pad of the MNIST view: a black canvas drawn on in white with a mouse, a finger or a pen. It hands out
 * its ink (intensities in [0, 1], canvas pixels row-major) and can show an image; `onDrawn` hears after every stroke.
 */
import { byId } from '../dom';

export interface Pad {
  /** width × height intensities in [0, 1] (1 = full ink), and the size. */
  ink(): { values: Float32Array; width: number; height: number };
  /** Shows `image` (a canvas) scaled to the whole pad, pixels kept square. */
  show(image: HTMLCanvasElement): void;
}

export function mountPad(onDrawn: () => void): Pad {
  const pad = byId('mnist-draw', HTMLCanvasElement), context = pad.getContext('2d', { willReadFrequently: true })!;
  const clear = () => { context.fillStyle = '#000'; context.fillRect(0, 0, pad.width, pad.height); };
  clear();
  let drawing = false, last: [number, number] | undefined;
  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
  };
  const stroke = (p: [number, number]) => {
    context.strokeStyle = '#fff';
    context.lineWidth = 22;
    context.lineCap = 'round';
    context.beginPath();
    context.moveTo(...(last ?? p));
    context.lineTo(...p);
    context.stroke();
    last = p;
  };
  pad.addEventListener('pointerdown', (e) => { drawing = true; last = at(e); pad.setPointerCapture(e.pointerId); stroke(at(e)); });
  pad.addEventListener('pointermove', (e) => { if (drawing) stroke(at(e)); });
  const end = () => { if (drawing) { drawing = false; last = undefined; onDrawn(); } };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  byId('mnist-clear').addEventListener('click', () => { clear(); onDrawn(); });
  return {
    ink() {
      const rgba = context.getImageData(0, 0, pad.width, pad.height).data;
      const values = new Float32Array(pad.width * pad.height);
      for (let j = 0; j < values.length; j++) values[j] = rgba[4 * j] / 255;
      return { values, width: pad.width, height: pad.height };
    },
    show(image) {
      context.imageSmoothingEnabled = false;
      context.drawImage(image, 0, 0, pad.width, pad.height);
      pad.scrollIntoView({ block: 'nearest' });
    },
  };
}
