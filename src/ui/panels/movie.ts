/** The zoom-movie panel: frames toward the last clicked cell (or the centre), computed aside and saved as a GIF. */
import { gridSize } from '../../core/grid';
import type { HeatmapScale } from '../../core/heatmap';
import { rectAround, zoomProblem, zoomSequence } from '../../core/zoom';
import { byId as $ } from '../dom';
import { download } from '../download';
import { recordZoomMovie } from '../movie';
import type { Store } from '../store';
import type { Aside } from './aside';
import { describeCell } from './inspector';

/**
 * Wires the panel (#movie-panel in index.html): frames in the state's metric and one colour scale (the locked one, or
 * `colourScale()`, the view's on screen), toward the inspected cell or the centre.
 */
export function mountMoviePanel(store: Store, aside: Aside, colourScale: () => HeatmapScale): void {
  let target = { fx: 0.5, fy: 0.5 }; // plot fractions of the view on screen
  const text = $('movie-text');
  const input = (id: string) => $(id, HTMLInputElement).value;

  $('movie-make').addEventListener('click', async () => {
    const view = aside.current();
    if (!view?.result) return;
    const frames = Number(input('movie-frames')), zoom = Number(input('movie-zoom')), size = Number(input('movie-size'));
    const problems = [
      ...(Number.isInteger(frames) && frames >= 2 && frames <= 300 ? [] : [`frames: an integer from 2 to 300; got "${input('movie-frames')}"`]),
      ...(zoom > 1 && zoom <= 10 ? [] : [`zoom per frame: a number above 1 and at most 10; got "${input('movie-zoom')}"`]),
      ...(Number.isInteger(size) && size >= 8 && size <= 512 ? [] : [`cells a side: an integer from 8 to 512; got "${input('movie-size')}"`]),
    ];
    const deepest = problems.length ? undefined : zoomProblem(view.spec, rectAround(target.fx, target.fy, zoom ** (frames - 1)), view.arithmetic);
    if (problems.length || deepest) { text.textContent = `The movie cannot be made: ${[...problems, deepest].filter(Boolean).join('; ')}`; return; }
    const specs = zoomSequence(view.spec, target.fx, target.fy, frames, zoom, size);
    // One colour scale for every frame: the locked one, or the view's on screen (frames deeper in keep its meaning).
    const shown = store.get().metric, colours = store.get().lockedScale ?? colourScale(), start = performance.now(), total = zoom ** (frames - 1);
    try {
      const gif = await aside.exclusive('movie', () => recordZoomMovie(specs, async (spec) => {
        const r = await aside.run(spec, view.arithmetic);
        if (r.status !== 'complete' || r.error) throw new Error(r.error ?? 'a frame was cancelled');
        return r.outputs;
      }, colours, { scale: Math.max(1, Math.floor(384 / size)), delayMs: 120, zoomPerFrame: zoom, onFrame: (k, n) => { text.textContent = `Frame ${k} of ${n}…`; } }));
      download('zoom-movie.gif', new Blob([gif as Uint8Array<ArrayBuffer>], { type: 'image/gif' }));
      text.textContent = `zoom-movie.gif: ${frames} frames of ${size} × ${size} cells (${shown === 'class' ? 'class map' : shown}), ${zoom}× per frame, ` +
        `${total >= 1e3 ? total.toExponential(1) : total.toFixed(1)}× in all; ${(gif.length / 1024).toFixed(0)} KB, made in ${((performance.now() - start) / 1000).toFixed(1)} s.`;
    } catch (e) {
      text.textContent = `The movie stopped: ${(e as Error).message}`;
    }
  });

  store.subscribe((s) => [s.view, s.inspected], () => {
    const { view, inspected } = store.get();
    if (!view || inspected === undefined) { target = { fx: 0.5, fy: 0.5 }; $('movie-target').textContent = 'the centre'; return; }
    const { nx, ny } = gridSize(view.spec);
    target = { fx: ((inspected % nx) + 0.5) / nx, fy: (Math.floor(inspected / nx) + 0.5) / ny };
    $('movie-target').textContent = `cell ${inspected} (${describeCell(view.spec, inspected)})`;
  });
}
