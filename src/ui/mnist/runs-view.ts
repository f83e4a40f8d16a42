/** The MNIST view's list of runs: each with Show, Compare and Discard; and the caption under the curves. */
import { el } from '../dom';
import { describeRun, type MnistRun } from './runs-history';

/** What the list's buttons ask the panel to do. */
export interface RunsActions { show(id: number): void; compare(id: number | undefined): void; discard(id: number): void }

/** Builds the runs box before `before` and a caption after `chartsBox`; returns the function that redraws both. */
export function mountRunsList(before: Element, chartsBox: Element, actions: RunsActions): (runs: MnistRun[], shownId?: number, comparedId?: number) => void {
  const list = el('ol', { id: 'mnist-runs', className: 'mnist-runs' });
  const box = el('div', { id: 'mnist-runs-box', hidden: true }, [
    el('h2', { textContent: 'Runs' }),
    el('p', { className: 'muted', textContent: 'Every run stays here until you discard it. Show puts a run in the table, the heatmap and the drawing pad; Compare draws its curves dashed beside the shown run\'s.' }),
    list,
  ]);
  before.before(box);
  const caption = el('p', { id: 'mnist-compare-caption', className: 'muted' });
  chartsBox.after(caption);
  return (runs, shownId, comparedId) => {
    box.hidden = runs.length === 0;
    list.replaceChildren(...[...runs].reverse().map((run) => {
      const button = (text: string, label: string, onClick: () => void, options: { pressed?: boolean; disabled?: boolean } = {}) => {
        const b = el('button', { type: 'button', textContent: text, disabled: options.disabled ?? false, ariaLabel: `${label} run ${run.id}` });
        if (options.pressed !== undefined) b.setAttribute('aria-pressed', String(options.pressed));
        b.addEventListener('click', onClick);
        return b;
      };
      const shown = run.id === shownId, compared = run.id === comparedId;
      return el('li', { className: shown ? 'shown' : compared ? 'compared' : '' }, [
        el('span', { className: 'run-text', textContent: `${describeRun(run)}${shown ? ' (shown)' : compared ? ' (compared, dashed)' : ''}` }),
        el('span', { className: 'row' }, [
          button('Show', 'show', () => actions.show(run.id), { pressed: shown, disabled: shown }),
          button('Compare', 'compare with', () => actions.compare(compared ? undefined : run.id), { pressed: compared, disabled: shown }),
          button('Discard', 'discard', () => actions.discard(run.id), { disabled: run.outcome === 'running' }),
        ]),
      ]);
    }));
    const shownRun = runs.find((r) => r.id === shownId), comparedRun = runs.find((r) => r.id === comparedId);
    const none = (run: MnistRun) => (run.results.copies.every((c) => c.epochs.length === 0) ? ' (no epoch finished: nothing to draw)' : '');
    caption.textContent = shownRun && comparedRun
      ? `Solid lines: run ${shownRun.id}${none(shownRun)}; dashed: run ${comparedRun.id}${none(comparedRun)}. A setting in both runs has one colour.`
      : '';
  };
}
