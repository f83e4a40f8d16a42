/**
 * Pinned cells: up to MAX_PINS cells of the view whose float64 E(k) the inspector overlays, each in its colour, marked
 * on the map and listed as chips (cell, axis values, class under the view's convergence rule, ×). Pinned from the
 * inspector's button or with P on the map's keyboard cursor; state.pins holds them (and the link, &pins=).
 */
import { classOf, isComputed } from '../../core/outputs';
import { byId, el } from '../dom';
import type { HeatmapView } from '../heatmap/view';
import type { Navigation } from '../navigation';
import { viewKey, type Runs } from '../runs';
import { MAX_PINS, pinLimitNote } from '../state';
import type { Store } from '../store';
import { describeCell, pinMarks } from './inspector';

/**
 * Pins `cell`, or unpins it when it is pinned. When all slots are taken it says so, and how to free one, in the
 * inspector and over the map (where the keyboard's P was pressed).
 */
export function togglePin(store: Store, nav: Navigation, heatmap: HeatmapView, cell: number): void {
  const state = store.get(), note = pinLimitNote(state, cell);
  byId('pin-note').textContent = note ?? '';
  if (note) { heatmap.flash(note); return; }
  nav.update(state.pins.includes(cell) ? { type: 'unpin', cell } : { type: 'pin', cell });
}

/** Wires the inspector's Pin and Clear pins buttons and the chips. */
export function mountPins(store: Store, nav: Navigation, runs: Runs, heatmap: HeatmapView): void {
  const pinButton = byId('pin-cell', HTMLButtonElement), clear = byId('clear-pins', HTMLButtonElement), list = byId('pin-list');
  pinButton.addEventListener('click', () => { const cell = store.get().inspected; if (cell !== undefined) togglePin(store, nav, heatmap, cell); });
  clear.addEventListener('click', () => { byId('pin-note').textContent = ''; nav.update({ type: 'pins', pins: [] }); });
  // The run too: a chip's class appears once its cell is computed.
  let shown = '';
  store.subscribe((s) => [s.pins, s.inspected, s.view, s.run], () => {
    const { pins, inspected, view } = store.get(), data = runs.current;
    const count = pins.filter((c) => c !== null).length;
    if (count < MAX_PINS) byId('pin-note').textContent = '';
    pinButton.hidden = inspected === undefined;
    const pinned = inspected !== undefined && pins.includes(inspected);
    pinButton.textContent = pinned ? `Unpin cell ${inspected}` : `Pin cell ${inspected ?? ''} (P)`;
    pinButton.setAttribute('aria-pressed', String(pinned));
    clear.hidden = count === 0;
    const onScreen = view && data && data.key === viewKey(view.spec, view.arithmetic);
    const chips = (view ? pinMarks(pins) : []).map((pin) => ({
      ...pin, text: ` cell ${pin.cell}: ${describeCell(view!.spec, pin.cell)} · ${onScreen && isComputed(data.outputs, pin.cell) ? classOf(data.outputs, pin.cell, view!.spec.convergence) : 'not run yet'}`,
    }));
    // Rebuilt only when a chip's words change (not at every progress report, which would take a chip's focus away).
    const signature = JSON.stringify([chips, inspected]);
    if (signature === shown) return;
    shown = signature;
    list.replaceChildren(...chips.map(({ cell, color, label, text }) => {
      const go = el('button', { type: 'button', className: 'pin-go', title: 'Inspect this cell' }, [el('span', { className: 'swatch', textContent: label }), document.createTextNode(text)]);
      (go.firstChild as HTMLElement).style.background = color;
      go.addEventListener('click', () => nav.update({ type: 'inspect', cell }));
      const remove = el('button', { type: 'button', className: 'pin-remove', textContent: '×', title: `Unpin cell ${cell}` });
      remove.setAttribute('aria-label', `Unpin cell ${cell}`);
      remove.addEventListener('click', () => nav.update({ type: 'unpin', cell }));
      return el('li', { className: cell === inspected ? 'inspected' : '' }, [go, remove]);
    }));
  });
}
