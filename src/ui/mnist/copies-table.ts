/** The MNIST view's table of copies: one row per copy of the shown run (and one for loaded weights), a radio each. */
import { bestEpoch, formatPercent, type WeightsFile } from '../../mnist/sweep';
import { byId, el } from '../dom';
import { copyStateText, type MnistRun } from './runs-history';

/** Weights loaded from a file, evaluated on the test set. */
export interface Loaded { name: string; file: WeightsFile; accuracy?: number; predictions?: Uint8Array }

export const percent = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : formatPercent(x));

/** Fills #mnist-table: `selected` is checked; a click on a row calls `select` with its copy. Keeps the keyboard's focus. */
export function renderCopiesTable(run: MnistRun | undefined, loaded: Loaded | undefined, selected: number | 'loaded', select: (copy: number | 'loaded') => void): void {
  const rows: HTMLTableRowElement[] = [];
  run?.results.copies.forEach((c, i) => {
    const last = c.epochs.at(-1), best = bestEpoch(c);
    const row = el('tr', { className: selected === i ? 'selected' : '' }, [
      el('td', {}, [el('input', { type: 'radio', name: 'mnist-copy', checked: selected === i, ariaLabel: `select copy ${i}` })]),
      ...[String(i), String(c.settings.lr), String(c.settings.dropout), String(c.settings.seed), `${c.epochs.length}/${run.results.run.epochs}`,
        last ? last.trainLoss.toFixed(4) : '–', percent(last?.testAccuracy), best ? `${percent(best.testAccuracy)} (${best.epoch})` : '–', copyStateText(run, i)].map((t) => el('td', { textContent: t })),
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
