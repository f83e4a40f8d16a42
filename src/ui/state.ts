/**
 * The page's state: one object, changed only by actions applied in `reduce` (pure, tested in Node). Panels subscribe
 * to the parts they show (src/ui/store.ts). Every run event carries the id of its run, and `reduce` drops the events
 * of any run but the current one: a superseded run can never write into the view on screen.
 */
import type { Arithmetic, ArithmeticChoice } from '../core/arithmetic';
import { metricsOf, type HeatmapMetric, type HeatmapScale } from '../core/heatmap';
import type { PresetName } from '../core/presets';
import { gridSize } from '../core/grid';
import type { SweepSpec } from '../core/spec';
import type { Capabilities } from '../worker/sweep.worker';
import { INITIAL_MNIST, reduceMnist, type MnistAction, type MnistView } from './mnist/view-state';
import { tooFineForFloat32, type SpotCheck } from './precision';

/** idle → running → finished | cancelled | failed; a cancelled or failed run may be continued (running again). */
export type RunPhase = 'idle' | 'running' | 'finished' | 'cancelled' | 'failed';

/** Counters of a run in progress (cells of the whole view, earlier runs of it included). */
export interface RunCounters { cellsDone: number; cells: number; networkStepsDone: number; networkSteps: number; elapsedMs: number; pass: number; passes: number }

export interface RunState {
  /** The run's id (0: none yet); events of other ids are dropped. */
  id: number;
  phase: RunPhase;
  /** Its arithmetic, once started. */
  arithmetic?: Arithmetic;
  counters?: RunCounters;
  /** Why it failed or was interrupted. */
  message?: string;
}

/** The sweep view on screen: its spec and the arithmetic chosen for it. */
export interface ViewState { spec: SweepSpec; arithmetic: ArithmeticChoice }

/** What the form shows of a link's spec that cannot run: the spec (valid, too large for the page), or its JSON as written. */
export type Rejected = { spec: SweepSpec } | { raw: unknown };

export interface PageState {
  tab: 'course' | 'sweep' | 'mnist';
  coursePreset: PresetName;
  view?: ViewState;
  /** Why the spec of a link or of the form cannot run (empty: it can). */
  specErrors: string[];
  /** A link's spec that cannot run, for the form. */
  rejected?: Rejected;
  /** Notes about the link (an unknown arithmetic or metric, …), shown and not fatal. */
  linkNotes: string[];
  metric: HeatmapMetric;
  /** A colour scale kept across views (a zoom trail, a movie), or undefined: each view fits its own. */
  lockedScale?: HeatmapScale;
  /** Outline the cells whose class differs between float32 and float64 (after a Compare). */
  outline: boolean;
  /** The cell in the inspector. */
  inspected?: number;
  /**
   * Cells pinned in the inspector (their E(k) overlaid, marked on the map), by colour slot: slot i has the i-th pin
   * colour, null a freed slot, so a pin keeps its colour when another is removed. At most MAX_PINS; no trailing null.
   * They belong to the view: a new view starts with those its link names, or none.
   */
  pins: PinSlots;
  run: RunState;
  /** The float64 spot check of the run's view (float32 views), once done. */
  spot?: SpotCheck & { id: number };
  /**
   * The job on the side worker (Compare, A/B, zoom movie): one at a time, and none while the view runs. Owned by the
   * job (panels/aside.ts exclusive): a new view does not end it; it finishes or is cancelled.
   */
  aside?: 'compare' | 'ab' | 'movie';
  capabilities?: Capabilities;
  /** The MNIST view: its settings, selected copy, and which run is shown (mnist/view-state.ts). */
  mnist: MnistView;
  /** Where the page stands in its own history: Back at index 0 and Forward at `last` would leave it. */
  trail: { index: number; last: number };
}

/** Pinned cells by colour slot (null: a freed slot). */
export type PinSlots = ReadonlyArray<number | null>;

/** The most cells pinned at once (one colour each, after the inspected cell's). */
export const MAX_PINS = 8;

/** Why `cell` cannot be pinned in `state` (all slots taken: how to free one), or undefined when it can (or is already). */
export function pinLimitNote(state: PageState, cell: number): string | undefined {
  const { pins } = state;
  if (pins.includes(cell) || pins.filter((c) => c !== null).length < MAX_PINS) return undefined;
  return `${MAX_PINS} cells are pinned, the most at once: remove one (× on its chip) or Clear pins to pin cell ${cell}.`;
}

/** `pins` without trailing freed slots. */
export const trimPins = (pins: Array<number | null>): PinSlots => {
  while (pins.length && pins[pins.length - 1] === null) pins.pop();
  return pins;
};

export const INITIAL_STATE: PageState = {
  tab: 'course', coursePreset: 'era-v1', specErrors: [], linkNotes: [], metric: 'finalLoss', outline: false, pins: [], run: { id: 0, phase: 'idle' }, mnist: INITIAL_MNIST, trail: { index: 0, last: 0 },
};

export type Action =
  | { type: 'course'; preset: PresetName }
  /** Back to the sweep tab and the view it holds. */
  | { type: 'sweep-tab' }
  /** The MNIST view as it stands. */
  | { type: 'mnist-tab' }
  /** A change within the MNIST view (mnist/view-state.ts); 'mnist-open' and 'mnist-train' also open its tab. */
  | MnistAction
  /** A new view (zoom, link, form, ready-made): its run starts idle; what belonged to the last view goes. */
  | { type: 'open'; view: ViewState; metric?: HeatmapMetric; inspected?: number; outline?: boolean; pins?: PinSlots }
  /** The form's spec cannot run: the view on screen stays. */
  | { type: 'spec-errors'; errors: string[] }
  /** A link's spec cannot run: nothing is shown under it. */
  | { type: 'bad-link'; errors: string[]; rejected?: Rejected }
  | { type: 'link-notes'; notes: string[] }
  | { type: 'metric'; metric: HeatmapMetric }
  | { type: 'lock-scale'; scale: HeatmapScale | undefined }
  | { type: 'outline'; on: boolean }
  | { type: 'inspect'; cell: number | undefined }
  /** Pins a cell of the view into the first free colour slot (nothing when it is pinned, all slots are taken, or it is no cell of the view). */
  | { type: 'pin'; cell: number }
  | { type: 'unpin'; cell: number }
  /** Sets all pins (a link's; [] clears them). */
  | { type: 'pins'; pins: PinSlots }
  | { type: 'capabilities'; capabilities: Capabilities }
  | { type: 'run-started'; id: number; arithmetic: Arithmetic; counters?: RunCounters }
  | { type: 'run-progress'; id: number; counters: RunCounters }
  | { type: 'run-ended'; id: number; phase: 'finished' | 'cancelled' | 'failed'; counters?: RunCounters; message?: string }
  | { type: 'spot'; id: number; spot: SpotCheck }
  | { type: 'aside'; job: PageState['aside'] }
  | { type: 'trail'; index: number; last: number };

/** The state after `action`. Pure. */
export function reduce(state: PageState, action: Action): PageState {
  switch (action.type) {
    case 'course':
      return { ...state, tab: 'course', coursePreset: action.preset };
    case 'sweep-tab':
      return state.view ? { ...state, tab: 'sweep' } : state;
    case 'mnist-tab':
      return { ...state, tab: 'mnist' };
    case 'open': {
      const asked = action.metric !== undefined && metricsOf(action.view.spec).includes(action.metric) ? action.metric : undefined;
      const metric = asked ?? openingMetric(action.view.spec, state.view?.spec, state.metric);
      return {
        ...state, tab: 'sweep', view: action.view, specErrors: [], rejected: undefined, linkNotes: [], metric,
        lockedScale: state.lockedScale?.metric === metric ? state.lockedScale : undefined,
        inspected: action.inspected, outline: action.outline ?? false, pins: action.pins ?? [], run: { id: 0, phase: 'idle' },
      };
    }
    case 'spec-errors':
      return { ...state, tab: 'sweep', specErrors: action.errors };
    case 'bad-link':
      return { ...state, tab: 'sweep', view: undefined, specErrors: action.errors, rejected: action.rejected, inspected: undefined, outline: false, pins: [], run: { id: 0, phase: 'idle' } };
    case 'link-notes':
      return { ...state, linkNotes: action.notes };
    case 'metric':
      // A locked scale belongs to its metric.
      return action.metric === state.metric ? state : { ...state, metric: action.metric, lockedScale: undefined };
    case 'lock-scale':
      return { ...state, lockedScale: action.scale };
    case 'outline':
      return { ...state, outline: action.on };
    case 'inspect':
      return { ...state, inspected: action.cell };
    case 'pin': {
      const cells = state.view ? gridSize(state.view.spec).cells : 0;
      if (!Number.isInteger(action.cell) || action.cell < 0 || action.cell >= cells || pinLimitNote(state, action.cell) || state.pins.includes(action.cell)) return state;
      const pins = [...state.pins], free = pins.indexOf(null);
      if (free >= 0) pins[free] = action.cell; else pins.push(action.cell);
      return { ...state, pins };
    }
    case 'unpin':
      return state.pins.includes(action.cell) ? { ...state, pins: trimPins(state.pins.map((c) => (c === action.cell ? null : c))) } : state;
    case 'pins':
      return { ...state, pins: trimPins([...action.pins]) };
    case 'capabilities':
      return { ...state, capabilities: action.capabilities };
    case 'run-started':
      // A new run supersedes any other: from now on only its events count.
      return { ...state, run: { id: action.id, phase: 'running', arithmetic: action.arithmetic, counters: action.counters } };
    case 'run-progress':
      if (action.id !== state.run.id || state.run.phase !== 'running') return state;
      return { ...state, run: { ...state.run, counters: action.counters } };
    case 'run-ended':
      if (action.id !== state.run.id || state.run.phase !== 'running') return state;
      return { ...state, run: { ...state.run, phase: action.phase, counters: action.counters ?? state.run.counters, message: action.message } };
    case 'spot':
      return action.id === state.run.id ? { ...state, spot: { ...action.spot, id: action.id } } : state;
    case 'aside':
      return { ...state, aside: action.job };
    case 'mnist-open':
    case 'mnist-train':
      return { ...state, tab: 'mnist', mnist: reduceMnist(state.mnist, action) };
    case 'mnist-show':
    case 'mnist-compare':
    case 'mnist-discard':
    case 'mnist-select': {
      const mnist = reduceMnist(state.mnist, action);
      return mnist === state.mnist ? state : { ...state, mnist };
    }
    case 'trail':
      return { ...state, trail: { index: action.index, last: action.last } };
  }
}

/** The metric a view of `spec` shows unless told otherwise: a replica sweep's probability of converging, else finalLoss. */
export const defaultMetric = (spec: Pick<SweepSpec, 'replicas'>): HeatmapMetric => (spec.replicas ? 'pConverged' : INITIAL_STATE.metric);

/**
 * The metric a view of `spec` opens on when none is asked for, given the last view's (`previous`, `shown`): kept
 * between two views of the same kind (a zoom keeps it); a replica view after a plain one (or none), or a metric the
 * view lacks (a replica row in a plain view), gives way to the view's default. Pure.
 */
export function openingMetric(spec: SweepSpec, previous: SweepSpec | undefined, shown: HeatmapMetric): HeatmapMetric {
  if (spec.replicas && !previous?.replicas) return defaultMetric(spec);
  return metricsOf(spec).includes(shown) ? shown : defaultMetric(spec);
}

/**
 * The arithmetic a view runs in: the user's choice; for auto, what the worker found best here, except that a view whose
 * neighbouring cells are too few float32 steps apart runs in float64 (the page says so, and float32 can be chosen).
 */
export function resolveArithmetic(choice: ArithmeticChoice, capabilities: Capabilities | undefined, spec?: SweepSpec): Arithmetic {
  if (choice !== 'auto') return choice;
  if (capabilities?.auto.device === 'cpu') return 'float64';
  return spec && tooFineForFloat32(spec) ? 'float64' : 'float32';
}
