/**
 * The sweep form's replicas (issue 21): how many random initializations each cell trains, and whether every cell
 * takes the same draws (common random numbers) or its own. A blank count is a plain sweep; any count, 1 included, is
 * a replica sweep. Field texts ↔ spec is pure (tested in Node); the DOM part builds the fieldset and says what the
 * draws choice means.
 */
import { MAX_REPLICAS, REPLICA_DRAWS, type Replicas } from '../core/spec';
import { el, field, group, numberInput, numberOrText, select, type Raw } from './form-controls';

/** What each draws choice means, shown under the menu. */
export const DRAWS_MEANING: Record<Replicas['draws'], string> = {
  common: 'Common random numbers: the same R draws in every cell, so neighbouring cells differ by the hyperparameter, not by luck.',
  independent: 'Independent draws: each cell trains R draws of its own, so neighbouring cells also differ by luck.',
};

/** The raw `replicas` of the form's field texts (`text(path)`), or undefined for a plain sweep (a blank count). Pure. */
export function readReplicaFields(text: (path: string) => string): Raw | undefined {
  const count = numberOrText(text('replicas.count'));
  return count === undefined ? undefined : { count, draws: text('replicas.draws') };
}

/** The field texts of a spec's replicas: a blank count and common draws for a plain sweep. Pure. */
export const replicaFieldTexts = (replicas: Replicas | undefined) => ({ 'replicas.count': replicas ? String(replicas.count) : '', 'replicas.draws': replicas?.draws ?? 'common' });

/** The replicas fieldset: the count, the draws menu and the line saying what the chosen draws mean. */
export function replicaFieldset(): HTMLFieldSetElement {
  const count = Object.assign(numberInput('1'), { placeholder: 'none' });
  const draws = select(REPLICA_DRAWS), meaning = el('p', { className: 'muted note', textContent: DRAWS_MEANING.common });
  draws.addEventListener('change', () => { meaning.textContent = DRAWS_MEANING[draws.value as Replicas['draws']] ?? ''; });
  const node = group('replicas', 'replicas: random initializations per cell', [
    Object.assign(field(`replicas R (1–${MAX_REPLICAS}; blank: none)`, 'replicas.count', count), { title: 'Each cell trains R networks from draws of the random initialization below, and the map shows the fraction that converged' }),
    field('draws', 'replicas.draws', draws),
    meaning,
  ]);
  return node;
}

/** Shows the draws choice's meaning after the form was filled. */
export function syncReplicaMeaning(form: HTMLFormElement): void {
  const draws = form.querySelector<HTMLSelectElement>('[data-path="replicas.draws"]')!;
  draws.closest('fieldset')!.querySelector('.note')!.textContent = DRAWS_MEANING[draws.value as Replicas['draws']] ?? '';
}
