import paperIdentity from '../../examples/paper-identity.json';
import paperMinibatch from '../../examples/paper-minibatch.json';
import paperOffset from '../../examples/paper-offset.json';
import paperRelu from '../../examples/paper-relu.json';
import paperSinglePoint from '../../examples/paper-single-point.json';
import paperTanh from '../../examples/paper-tanh.json';
import replicasLrInitScale from '../../examples/replicas-lr-initscale.json';

import type { HeatmapMetric } from '../core/heatmap';

/** Ready-made sweeps of the course network offered on the sweep page (a metric: the one each opens on). */
export const READY_MADE: Array<{ name: string; title: string; spec: Record<string, unknown>; metric?: HeatmapMetric }> = [
  {
    name: 'lr × init scale',
    title: 'Learning rate (both layers) against a common scale of the sheet’s initial weights',
    spec: { preset: 'era-v1', steps: 1000, threshold: 1e-4, x: { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' }, y: { param: 'initScale', min: 0.1, max: 10, count: 256, scale: 'log' } },
  },
  {
    name: 'lr × random init',
    title: 'Learning rate against 128 random initializations, each row a fresh seeded N(0, 1) draw of all eight weights',
    spec: { preset: 'eva', steps: 1000, threshold: 1e-4, init: { distribution: 'normal', scale: 1, seed: 7 }, x: { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' }, y: { param: 'seed', count: 128 } },
  },
  {
    name: 'hidden × output lr (fractal)',
    title: 'Separate learning rates for the two layers with tanh units, as in the fractal-trainability paper',
    spec: { preset: 'eva', activation: 'tanh', steps: 1000, threshold: 1e-4, x: { param: 'lrHidden', min: 0.1, max: 100, count: 256, scale: 'log' }, y: { param: 'lrOutput', min: 0.1, max: 100, count: 256, scale: 'log' } },
  },
  {
    name: 'lr × momentum',
    title: 'Learning rate against heavy-ball momentum β (0 is plain gradient descent, the sheet)',
    spec: { preset: 'era-v1', steps: 1000, threshold: 1e-4, x: { param: 'lr', min: 0.01, max: 100, count: 256, scale: 'log' }, y: { param: 'momentum', min: 0, max: 0.99, count: 128 } },
  },
  {
    // examples/replicas-lr-initscale.json (the command line's copy of this view). tanh units: too small a rate has not
    // converged by step 1000 (lr < 0.8), too large a one stalls (lr > 30), and a large init scale (above about 2.5)
    // fails more often; a dip near lr 10 lies between. 64² cells (the least box counting takes) × 64 replicas × 1000
    // steps: 22–36 s in Chromium here on the CPU engine (two shared cores).
    name: 'lr × init scale, 64 replicas',
    title: 'The probability that a random N(0, 1) initialization of all eight weights (times the init scale) trains, with tanh units: 64 draws per cell, the same 64 in every cell',
    spec: replicasLrInitScale,
    metric: 'pConverged',
  },
];

/**
 * The fractal paper's six conditions (Sohl-Dickstein 2024, "The boundary of neural network trainability is fractal"):
 * a 16-16-1 mean-field MLP on random data, trained by full-batch gradient descent unless the condition says otherwise.
 * The specs are examples/paper-*.json themselves, so the page and `npm run sweep` run the same sweeps. Each opens on
 * the paper's own measure, the score (negative: converged, positive: diverged).
 */
export const PAPER_VIEWS: Array<{ name: string; title: string; spec: Record<string, unknown>; metric: HeatmapMetric }> = [
  { name: 'tanh', title: 'The paper’s baseline: tanh units, 272 data points, full batch; hidden × output learning rate', spec: paperTanh, metric: 'score' },
  { name: 'ReLU', title: 'ReLU units instead of tanh (272 points, full batch); hidden × output learning rate', spec: paperRelu, metric: 'score' },
  { name: 'linear', title: 'A deep linear network (identity units) on 16 data points; hidden × output learning rate', spec: paperIdentity, metric: 'score' },
  { name: 'minibatch 16', title: 'tanh units trained on minibatches of 16 of the 272 points (drawn with replacement); hidden × output learning rate', spec: paperMinibatch, metric: 'score' },
  { name: 'one data point', title: 'tanh units trained on a single data point; hidden × output learning rate', spec: paperSinglePoint, metric: 'score' },
  { name: 'init offset × lr', title: 'tanh units: an offset added to the input-layer weights (re-added every step, as the paper’s notebook) against one learning rate for both layers', spec: paperOffset, metric: 'score' },
];
