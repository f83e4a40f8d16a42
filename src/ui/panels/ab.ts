/**
 * The A/B panel: the view on screen (A) against the same grid with one setting changed (B): A's and B's class maps
 * side by side, and a difference map of which of the two converged.
 */
import { AB_SETTINGS, onAxis, settingChoices, settingValue, specB, type AbSetting } from '../../core/ab';
import { classDiff, diffCounts } from '../../core/diff';
import { gridSize } from '../../core/grid';
import { countClasses } from '../../core/outputs';
import type { SweepSpec } from '../../core/spec';
import { byId as $ } from '../dom';
import { HeatmapView } from '../heatmap/view';
import type { Store } from '../store';
import type { Aside } from './aside';

/** Wires the panel (#ab-panel in index.html); B belongs to the view it was run on, and a new view clears it. */
export function mountAbPanel(store: Store, aside: Aside): void {
  const quiet = () => undefined;
  const mapA = new HeatmapView($('ab-a', HTMLCanvasElement), quiet, false);
  const mapB = new HeatmapView($('ab-b', HTMLCanvasElement), quiet, false);
  mapA.setMetric('class');
  mapB.setMetric('class');
  const mapDiff = new HeatmapView($('ab-diff', HTMLCanvasElement), quiet, false);
  const settingSelect = $('ab-setting', HTMLSelectElement), choice = $('ab-choice', HTMLSelectElement), text = $('ab-text');
  for (const name of AB_SETTINGS) settingSelect.append(Object.assign(document.createElement('option'), { value: name, textContent: name }));

  /** Shows A's value of the chosen setting and B's input (a menu for presets and activations). */
  const showSetting = (spec: SweepSpec) => {
    const setting = settingSelect.value as AbSetting;
    $('ab-a-value').textContent = settingValue(spec, setting);
    const choices = settingChoices(setting);
    choice.hidden = !choices;
    $('ab-value').hidden = !!choices;
    if (choices && choice.dataset.setting !== setting) {
      choice.replaceChildren(...choices.map((c) => Object.assign(document.createElement('option'), { value: c, textContent: c })));
      choice.dataset.setting = setting;
      choice.value = choices.find((c) => c !== settingValue(spec, setting)) ?? choices[0];
    }
  };
  settingSelect.addEventListener('change', () => { const view = aside.current(); if (view) showSetting(view.spec); });

  $('ab-run').addEventListener('click', async () => {
    const view = aside.current();
    if (!view?.result) return;
    const setting = settingSelect.value as AbSetting;
    const value = settingChoices(setting) ? choice.value : $('ab-value', HTMLInputElement).value;
    const b = specB(view.spec, setting, value);
    if (!b.ok) { text.textContent = `B cannot run: ${b.errors.join('; ')}`; return; }
    text.textContent = `Running B (${setting} = ${value}) on the same ${gridSize(b.spec).cells.toLocaleString()} cells…`;
    try {
      const result = await aside.exclusive('ab', () => aside.run(b.spec, view.arithmetic));
      if (aside.current() !== view) return;
      if (result.status !== 'complete' || result.error) { text.textContent = `B did not finish (${result.error ?? result.status}); run it again.`; return; }
      const codes = classDiff(view.outputs, result.outputs, view.spec.convergence);
      const n = diffCounts(codes);
      const a = settingValue(view.spec, setting);
      $('ab-maps').hidden = false;
      $('ab-a-title').textContent = `A (${setting} = ${a}): class map`;
      $('ab-b-title').textContent = `B (${setting} = ${value}): class map`;
      mapA.show({ kind: 'outputs', spec: view.spec, outputs: view.outputs });
      mapB.show({ kind: 'outputs', spec: b.spec, outputs: result.outputs });
      mapDiff.show({ kind: 'diff', spec: b.spec, codes });
      const countA = countClasses(view.outputs, view.spec.convergence).converged, countB = countClasses(result.outputs, b.spec.convergence).converged;
      text.textContent = `A (${setting} = ${a}): ${countA.toLocaleString()} converged. B (${setting} = ${value}): ${countB.toLocaleString()} converged. ` +
        `Both ${n['both converged'].toLocaleString()}, only A ${n['only A converged'].toLocaleString()}, only B ${n['only B converged'].toLocaleString()}, neither ${n['neither converged'].toLocaleString()}` +
        `${n['not run'] ? `, not run in A or B ${n['not run'].toLocaleString()}` : ''}.`;
    } catch (e) {
      text.textContent = `B failed: ${(e as Error).message}`;
    }
  });

  store.subscribe((s) => s.view, () => {
    const { view } = store.get();
    $('ab-maps').hidden = true;
    text.textContent = '';
    if (!view) return;
    // A setting the view sweeps on an axis cannot differ in B: it is not offered.
    for (const option of settingSelect.options) option.disabled = onAxis(view.spec, option.value as AbSetting);
    if (settingSelect.selectedOptions[0]?.disabled) settingSelect.value = [...settingSelect.options].find((o) => !o.disabled)!.value;
    showSetting(view.spec);
  });
}
