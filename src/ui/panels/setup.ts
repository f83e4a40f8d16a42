/**
 * The sweep's set-up column: the form, the ready-made sweeps, Run / Cancel / Continue, and the run's progress and
 * status line. Each ready-made sweep and Run opens a new view and runs it; the line always belongs to the view on
 * screen (the store drops every other run's events).
 */
import { classesOf, convergenceLabel, countClasses } from '../../core/outputs';
import { parseSpec } from '../../core/spec';
import { byId, el } from '../dom';
import type { Navigation } from '../navigation';
import { PAPER_VIEWS, READY_MADE } from '../ready-made';
import type { Runs } from '../runs';
import { buildSpecForm, fillRawSpecForm, fillSpecForm, readSpecForm, showSpecErrors } from '../spec-form';
import type { PageState, RunCounters } from '../state';
import type { Store } from '../store';
import { statisticsTrust } from '../precision';
import { replicaFactsText } from '../replica-facts';
import { pageLimitError } from '../url-table';
import { count, plannedText, ranOnText, rateText } from '../words';

/** Wires the set-up column; `cancel` stops the view's run and any job beside it. */
export function mountSetup(store: Store, nav: Navigation, runs: Runs, cancel: () => void): void {
  const form = byId('spec-form', HTMLFormElement);
  buildSpecForm(form);
  const arithmetic = () => store.get().view?.arithmetic ?? 'auto';
  for (const [views, row] of [[READY_MADE, 'ready-made'], [PAPER_VIEWS, 'paper-views']] as const) {
    for (const ready of views) {
      const button = el('button', { type: 'button', textContent: ready.name, title: ready.title });
      button.addEventListener('click', () => {
        const r = parseSpec(ready.spec);
        if (!r.ok) throw new Error(`ready-made sweep "${ready.name}" is invalid: ${r.errors.join('; ')}`);
        nav.open({ spec: r.spec, arithmetic: arithmetic() }, 'metric' in ready ? { metric: ready.metric } : {});
      });
      byId(row).append(button);
    }
  }
  // Enter in a field runs the form; Escape anywhere stops what runs (the view, or a job beside it).
  form.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target instanceof HTMLInputElement) { e.preventDefault(); byId('run').click(); } });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !byId('cancel', HTMLButtonElement).disabled) cancel(); });
  byId('run').addEventListener('click', () => {
    const r = parseSpec(readSpecForm(form));
    const errors = r.ok ? [pageLimitError(r.spec)].filter((e): e is string => e !== undefined) : r.errors;
    if (!r.ok || errors.length) store.dispatch({ type: 'spec-errors', errors });
    else nav.open({ spec: r.spec, arithmetic: arithmetic() }, {}, true);
  });
  byId('cancel').addEventListener('click', cancel);
  byId('continue-run').addEventListener('click', () => void runs.continue());

  store.subscribe((s) => [s.view, s.rejected], () => {
    const { view, rejected } = store.get();
    if (view) fillSpecForm(form, view.spec);
    else if (rejected && 'spec' in rejected) fillSpecForm(form, rejected.spec);
    else if (rejected) fillRawSpecForm(form, rejected.raw);
  });
  store.subscribe((s) => s.specErrors, () => {
    const { specErrors, view } = store.get();
    showSpecErrors(form, specErrors);
    const fromLink = !view && specErrors.length;
    byId('spec-errors').textContent = specErrors.length
      ? `${fromLink ? 'The spec in this link cannot run here, so nothing ran. Fix the fields below (or edit the link) and press Run:\n' : ''}${specErrors.map((e) => `• ${e}`).join('\n')}`
      : '';
    byId('spec-errors-goto').hidden = !firstBadField(form);
  });
  // The form may lie far below the message (a phone: below the map): one press takes the reader to the first bad field.
  byId('spec-errors-goto').addEventListener('click', () => {
    const field = firstBadField(form);
    field?.scrollIntoView({ block: 'center' });
    field?.focus({ preventScroll: true });
  });
  store.subscribe((s) => [s.run, s.aside, s.spot], () => {
    const s = store.get();
    const running = s.run.phase === 'running';
    byId('run', HTMLButtonElement).disabled = running;
    byId('cancel', HTMLButtonElement).disabled = !running && !s.aside;
    const left = s.run.counters ? s.run.counters.cells - s.run.counters.cellsDone : 0;
    const resume = byId('continue-run', HTMLButtonElement);
    resume.hidden = !(s.run.phase === 'cancelled' || s.run.phase === 'failed') || left === 0;
    resume.textContent = `Continue (${count(left)} cells left)`;
    const counters = s.run.counters;
    byId('progress', HTMLProgressElement).value = counters ? counters.networkStepsDone / Math.max(1, counters.networkSteps) : 0;
    byId('progress-text').textContent = statusLine(s, runs);
  });
}

/** The first control the validation messages mark (a marked group: its first control), or undefined. */
function firstBadField(form: HTMLFormElement): HTMLElement | undefined {
  const marked = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  return (marked instanceof HTMLFieldSetElement ? marked.querySelector<HTMLElement>('input, select') : marked) ?? undefined;
}

/** The progress or status line of the view's run. */
function statusLine(s: PageState, runs: Runs): string {
  const { run } = s, c = run.counters;
  if (run.phase === 'idle') return s.view ? 'Starting…' : '';
  if (run.phase === 'running') return c ? progressLine(c, plannedText(run.arithmetic!, s.capabilities)) : 'Starting…';
  const view = runs.current, result = view?.result;
  if (!view || !c) return run.message ?? '';
  const left = c.cells - c.cellsDone;
  const partial = `${count(c.cellsDone)} of ${count(c.cells)} cells are kept, and the picture is a partial preview: a cell not computed shows its block's computed corner (pass ${c.pass} of ${c.passes} complete). Continue computes the ${count(left)} left.`;
  const status = run.phase === 'finished' ? 'Done.' : run.message ? `Interrupted: ${run.message} ${partial}` : `Cancelled: ${partial}`;
  const speed = result ? ` ${(result.elapsedMs / 1000).toFixed(2)} s, ${rateText(result.networkStepsPerSecond)} on ${ranOnText(result.ranOn)}.` : '';
  // A float32 view's counts are results only where float32 tells its cells apart and agrees with float64.
  const trust = statisticsTrust(view.spec, view.arithmetic, s.spot?.id === run.id ? s.spot : undefined, run.phase === 'finished');
  if (!trust.shown) return `${status}${speed} ${view.spec.replicas ? 'Replica' : 'Class'} counts ${trust.pending ? 'after the float64 spot check: ' : 'withheld: '}${trust.reason}${trust.pending ? '' : '. Use float64 for them'}.`.replace('….', '…');
  if (view.spec.replicas) return `${status}${speed} ${replicaFactsText(view.outputs, view.spec.replicas, view.spec.convergence)}`;
  const classes = countClasses(view.outputs, view.spec.convergence);
  const counts = classesOf(view.spec.convergence).map((k) => `${k} ${count(classes[k])}`).join(', ');
  return `${status}${speed} ${counts[0].toUpperCase()}${counts.slice(1)} (converged: ${convergenceLabel(view.spec.convergence)}).`;
}

/** "pass 2 of 6 · 12.5% · 8,192 of 65,536 cells done · 41.0 M network-steps/s · about 3.1 s left" */
function progressLine(c: RunCounters, engine: string): string {
  const done = c.networkStepsDone / Math.max(1, c.networkSteps);
  const rate = c.elapsedMs > 0 ? c.networkStepsDone / (c.elapsedMs / 1000) : 0;
  const eta = done > 0 && c.elapsedMs > 0 ? ((c.elapsedMs / done) * (1 - done)) / 1000 : NaN;
  const pass = c.passes > 1 ? `pass ${Math.min(c.pass + 1, c.passes)} of ${c.passes} · ` : '';
  return `${pass}${(100 * done).toFixed(1)}% · ${count(c.cellsDone)} of ${count(c.cells)} cells done · ${rateText(rate)} on ${engine} · ` +
    (Number.isFinite(eta) ? `about ${eta.toFixed(1)} s left` : 'starting');
}
