/** Ready-made sweeps offered on the sweep page. */
export const READY_MADE: Array<{ name: string; title: string; spec: Record<string, unknown> }> = [
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
];
