/**
 * The page's composition root: one store (state.ts) changed by actions, the URL and history written from it
 * (navigation.ts), the sweep view's runs (runs.ts), and panels that each subscribe to the parts they show. All
 * training runs in workers: the view's runs, jobs beside it (Compare, A/B, movie), checks (spot checks, replays) and
 * the course view each have their own, so none cancels another.
 */
import { heatmapScale } from '../core/heatmap';
import { parseSpec } from '../core/spec';
import { byId } from './dom';
import { Navigation } from './navigation';
import { mountAbPanel } from './panels/ab';
import { createAside } from './panels/aside';
import { mountCompare } from './panels/compare';
import { mountCourse } from './panels/course';
import { mountDevice } from './panels/device';
import { mountExplorer } from './panels/explorer';
import { mountExports } from './panels/exports';
import { mountFindings } from './panels/findings';
import { mountInspector } from './panels/inspector';
import { mountPins } from './panels/pins';
import { mountMoviePanel } from './panels/movie';
import { mountMnist } from './mnist/panel';
import { mountSetup } from './panels/setup';
import { READY_MADE } from './ready-made';
import { Runs } from './runs';
import { INITIAL_STATE } from './state';
import { Store } from './store';
import { startSweepWorker } from './sweep-client';

const store = new Store(INITIAL_STATE);
const [runner, asideWorker, checker, courseWorker] = [startSweepWorker(), startSweepWorker(), startSweepWorker(), startSweepWorker()];

// The worker's findings (adapter, threads) decide what 'auto' runs on: runs wait for them, the page does not.
const ready = runner.init().then((capabilities) => {
  store.dispatch({ type: 'capabilities', capabilities });
  return true;
}, (e: Error) => {
  byId('progress-text').textContent = `The page could not start its worker: ${e.message}. Reload the page; if it repeats, this browser lacks WebAssembly or web workers.`;
  return false;
});

const runs = new Runs(store, runner, ready);
const nav = new Navigation(store, runs);
const mnist = mountMnist(store, nav);
const aside = createAside(store, runs, asideWorker);

/** Opens the first ready-made sweep (learning rate × init scale) as a new view. */
function openDefaultSweep(): void {
  const r = parseSpec(READY_MADE[0].spec);
  if (!r.ok) throw new Error(`ready-made sweep invalid: ${r.errors.join('; ')}`);
  nav.open({ spec: r.spec, arithmetic: store.get().view?.arithmetic ?? 'auto' });
}

// Tabs: the course experiment, the sweep view it holds (or the default sweep when there is none yet), and MNIST.
store.subscribe((s) => s.tab, () => {
  const { tab } = store.get();
  for (const name of ['course', 'sweep', 'mnist'] as const) {
    byId(name).hidden = tab !== name;
    byId(`nav-${name}`).setAttribute('aria-current', tab === name ? 'page' : 'false');
  }
  // The header's engine badge and notice speak of the sweeps' engine; the MNIST view says its own when it trains.
  document.body.dataset.tab = tab;
  if (tab === 'mnist') mnist.show();
  window.scrollTo(0, 0); // a tab opens at its top (the course page's button sits far down on a phone)
});
byId('nav-course').addEventListener('click', () => nav.go({ type: 'course', preset: store.get().coursePreset }));
byId('nav-sweep').addEventListener('click', () => (store.get().view ? nav.go({ type: 'sweep-tab' }) : openDefaultSweep()));
byId('nav-mnist').addEventListener('click', () => nav.go({ type: 'mnist-tab' }));

mountDevice(store);
mountSetup(store, nav, runs, () => { void runs.cancel(); void asideWorker.cancel(); });
const heatmap = mountExplorer(store, nav, runs);
mountFindings(store, runs, checker, () => { const view = store.get().view; if (view) nav.open({ spec: view.spec, arithmetic: 'float64' }); });
mountInspector(store, runs, checker, heatmap);
mountPins(store, nav, runs, heatmap);
mountCompare(store, nav, aside, heatmap);
mountExports(store, runs, heatmap);
mountAbPanel(store, aside);
mountMoviePanel(store, aside, () => heatmap.scaleShown ?? heatmapScale(runs.current!.outputs, store.get().metric, runs.current!.spec));
nav.start();
// After start: the initial state's tab is the course, which must not train unless the URL says so.
mountCourse(store, nav, courseWorker);
