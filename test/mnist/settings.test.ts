/** The MNIST sweep's one settings table: defaults, limits and their messages, lists, the backend words. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COPY, DEFAULT_RUN } from '../../src/mnist/training';
import {
  backendEngine, copiesOfSettings, copyCount, DEFAULT_MNIST_SETTINGS, MNIST_SETTINGS, parseMnistSettings, runOf, type MnistSettingsRead,
} from '../../src/mnist/settings';

const settings = (read: MnistSettingsRead) => {
  if (!read.ok) throw new Error(read.errors.join('\n'));
  return read.settings;
};
const errors = (input: Record<string, string>, naming?: 'flag' | 'label') => {
  const read = parseMnistSettings(input, naming);
  if (read.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
  return read.errors;
};

describe('the MNIST settings table', () => {
  it('has one row per setting, each with its flag', () => {
    expect(MNIST_SETTINGS.map((r) => r.flag)).toEqual(['lr', 'dropout', 'seeds', 'epochs', 'batch', 'schedule', 'step-every', 'rotation', 'data-seed', 'train-limit', 'test-limit', 'momentum', 'weight-decay', 'backend']);
  });

  it('gives the training defaults when nothing is asked for', () => {
    const s = settings(parseMnistSettings({}));
    expect(s).toEqual(DEFAULT_MNIST_SETTINGS);
    expect(runOf(s)).toEqual(DEFAULT_RUN);
    expect(copiesOfSettings(s)).toEqual([DEFAULT_COPY]);
    expect(s.backend).toBe('auto');
  });

  it('reads lists (commas, semicolons or spaces; repeats dropped) and every combination', () => {
    const s = settings(parseMnistSettings({ lr: '0.05, 0.1;0.1', dropout: '0 0.05', seeds: '2', momentum: '0.5', 'weight-decay': '0.0001', 'train-limit': '2000' }));
    expect([s.lr, s.dropout, s.seeds, s.trainLimit]).toEqual([[0.05, 0.1], [0, 0.05], 2, 2000]);
    expect(copyCount(s)).toBe(8);
    const copies = copiesOfSettings(s);
    expect(copies.map((c) => [c.lr, c.dropout, c.seed])).toEqual([[0.05, 0, 1], [0.05, 0, 2], [0.05, 0.05, 1], [0.05, 0.05, 2], [0.1, 0, 1], [0.1, 0, 2], [0.1, 0.05, 1], [0.1, 0.05, 2]]);
    expect(copies.every((c) => c.momentum === 0.5 && c.weightDecay === 0.0001)).toBe(true);
  });

  it('takes the limits at their ends, the command line\'s for every surface', () => {
    const s = settings(parseMnistSettings({ lr: '99.9', dropout: '0', seeds: '10000', epochs: '1000', rotation: '180', 'data-seed': String(2 ** 32 - 1), 'test-limit': '10000' }));
    expect([s.lr, s.seeds, s.epochs, s.rotation]).toEqual([[99.9], 10000, 1000, 180]);
  });

  it('names the field, the limit and an example in every message (the command line\'s way)', () => {
    expect(errors({ lr: '0.1,x' })).toEqual(['--lr 0.1,x: expected learning rates above 0 and below 100, comma-separated (e.g. --lr 0.05)']);
    expect(errors({ lr: '100' })[0]).toMatch(/^--lr 100: expected learning rates above 0 and below 100/);
    expect(errors({ lr: '' })[0]).toMatch(/^--lr : expected learning rates/);
    expect(errors({ dropout: '1' })).toEqual(['--dropout 1: expected dropout rates in [0, 1), comma-separated (e.g. --dropout 0.05)']);
    expect(errors({ seeds: '10001' })).toEqual(['--seeds 10001: expected a whole number from 1 to 10,000']);
    expect(errors({ epochs: '0' })).toEqual(['--epochs 0: expected a whole number from 1 to 1,000']);
    expect(errors({ epochs: '1.5' })).toEqual(['--epochs 1.5: expected a whole number from 1 to 1,000']);
    expect(errors({ batch: '5000' })).toEqual(['--batch 5000: expected a whole number from 1 to 4,096']);
    expect(errors({ 'train-limit': '0' })).toEqual(['--train-limit 0: expected a whole number from 1 to 60,000']);
    expect(errors({ 'test-limit': '10001' })).toEqual(['--test-limit 10001: expected a whole number from 1 to 10,000']);
    expect(errors({ rotation: '181' })).toEqual(['--rotation 181: expected degrees from 0 to 180 (one number, e.g. --rotation 7)']);
    expect(errors({ momentum: '0.9,0.5' })).toEqual(['--momentum 0.9,0.5: expected a momentum in [0, 1) (one number, e.g. --momentum 0.9)']);
    expect(errors({ 'weight-decay': '-1' })).toEqual(['--weight-decay -1: expected a decay ≥ 0 (one number, e.g. --weight-decay 0)']);
    expect(errors({ schedule: 'cosine' })).toEqual(['--schedule cosine: expected one of onecycle or step']);
    expect(errors({ 'data-seed': '-1' })).toEqual(['--data-seed -1: expected a whole number from 0 to 4,294,967,295']);
  });

  it('names the field by its label for the page, and reports every bad field at once', () => {
    const read = parseMnistSettings({ lr: '0.1, -1', epochs: '0', seeds: '3' }, 'label');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.map((p) => p.name)).toEqual(['lr', 'epochs']);
    expect(read.errors).toEqual([
      'Learning rates "0.1, -1": expected learning rates above 0 and below 100, comma-separated (e.g. 0.05)',
      'Epochs "0": expected a whole number from 1 to 1,000',
    ]);
  });

  it('takes the sweep\'s backend words, the old ones, and names the arithmetic as the sweep does', () => {
    const backend = (word: string) => settings(parseMnistSettings({ backend: word })).backend;
    expect(['auto', 'webgpu', 'cpu', 'cpu-f64', 'cpu-f32'].map(backend)).toEqual(['auto', 'webgpu', 'cpu', 'cpu-f64', 'cpu']);
    expect(backendEngine('auto')).toEqual({ device: 'auto', arithmetic: 'float32' });
    expect(backendEngine('webgpu')).toEqual({ device: 'webgpu', arithmetic: 'float32' });
    expect(backendEngine('cpu')).toEqual({ device: 'cpu', arithmetic: 'float32' });
    expect(backendEngine('cpu-f64')).toEqual({ device: 'cpu', arithmetic: 'float64' });
    expect(errors({ backend: 'tpu' })).toEqual(['--backend tpu: expected one of auto, webgpu, cpu or cpu-f64']);
    expect(errors({ schedule: 'cpu-f32' })).toHaveLength(1); // the alias belongs to the backend only
  });
});
