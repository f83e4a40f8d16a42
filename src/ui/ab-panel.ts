/**
 * The A/B panel: the view on screen (A) against the same grid with one setting changed (B): A's and B's class maps
 * side by side, and a difference map of which of the two converged.
 */
import { AB_SETTINGS, settingChoices, settingValue, specB, type AbSetting } from '../core/ab';
import { classDiff, diffCounts } from '../core/diff';
import { gridSize } from '../core/grid';
import { countClasses } from '../core/outputs';
import type { SweepSpec } from '../core/spec';
import type { Aside } from './aside';
import { HeatmapView } from './heatmap-view';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Wires the panel (#ab-panel in index.html). */
export function mountAbPanel(aside: Aside): { reset(spec: SweepSpec): void; showSetting(spec: SweepSpec): void } {
  const quiet = () => undefined;
  const mapA = new HeatmapView($<HTMLCanvasElement>('ab-a'), quiet, quiet);
  const mapB = new HeatmapView($<HTMLCanvasElement>('ab-b'), quiet, quiet);
  mapA.metric = mapB.metric = 'class';
  const mapDiff = new HeatmapView($<HTMLCanvasElement>('ab-diff'), quiet, quiet);
  const settingSelect = $<HTMLSelectElement>('ab-setting'), choice = $<HTMLSelectElement>('ab-choice'), text = $('ab-text');
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
    const value = settingChoices(setting) ? choice.value : $<HTMLInputElement>('ab-value').value;
    const b = specB(view.spec, setting, value);
    if (!b.ok) { text.textContent = `B cannot run: ${b.errors.join('; ')}`; return; }
    text.textContent = `Running B (${setting} = ${value}) on the same ${gridSize(b.spec).cells.toLocaleString()} cells…`;
    try {
      const result = await aside.exclusive(() => aside.run(b.spec, view.engine));
      if (aside.current() !== view) return;
      if (result.status !== 'complete' || result.error) { text.textContent = `B did not finish (${result.error ?? result.status}); run it again.`; return; }
      const codes = classDiff(view.outputs, result.outputs);
      const n = diffCounts(codes);
      const a = settingValue(view.spec, setting);
      $('ab-maps').hidden = false;
      $('ab-a-title').textContent = `A (${setting} = ${a}): class map`;
      $('ab-b-title').textContent = `B (${setting} = ${value}): class map`;
      mapA.show(view.spec, view.outputs);
      mapA.draw();
      mapB.show(b.spec, result.outputs);
      mapB.draw();
      mapDiff.showDiff(b.spec, codes);
      mapDiff.draw();
      const countA = countClasses(view.outputs).converged, countB = countClasses(result.outputs).converged;
      text.textContent = `A (${setting} = ${a}): ${countA.toLocaleString()} converged. B (${setting} = ${value}): ${countB.toLocaleString()} converged. ` +
        `Both ${n['both converged'].toLocaleString()}, only A ${n['only A converged'].toLocaleString()}, only B ${n['only B converged'].toLocaleString()}, neither ${n['neither converged'].toLocaleString()}` +
        `${n['not run'] ? `, not run in A or B ${n['not run'].toLocaleString()}` : ''}.`;
    } catch (e) {
      text.textContent = `B failed: ${(e as Error).message}`;
    }
  });

  return {
    /** A new view: B belongs to the previous one. */
    reset(spec) { $('ab-maps').hidden = true; text.textContent = ''; showSetting(spec); },
    showSetting,
  };
}
