/** The MNIST view's state: its reducer and its URL rows (a link holds the settings and the selected copy). */
import { describe, expect, it } from 'vitest';
import { FORM_DEFAULTS, formText, INITIAL_MNIST, reduceMnist } from '../../src/ui/mnist/view-state';
import { INITIAL_STATE, reduce, type PageState } from '../../src/ui/state';
import { readUrl, writeUrl } from '../../src/ui/url-table';

const form = (over: Partial<typeof FORM_DEFAULTS> = {}) => ({ ...FORM_DEFAULTS, ...over });

describe('the MNIST view reducer', () => {
  it('Train shows the new run, compares the one shown before, and starts at copy 0 unless a link chose one', () => {
    let m = reduceMnist(INITIAL_MNIST, { type: 'mnist-open', form: form({ seeds: '3' }), copy: 2 });
    m = reduceMnist(m, { type: 'mnist-train', id: 1, form: form({ seeds: '3' }) });
    expect(m).toMatchObject({ shown: 1, compared: undefined, copy: 2 });
    m = reduceMnist(m, { type: 'mnist-select', copy: 1 });
    m = reduceMnist(m, { type: 'mnist-train', id: 2, form: form({ epochs: '1' }) });
    expect(m).toMatchObject({ shown: 2, compared: 1, copy: 0, runs: [{ id: 1 }, { id: 2 }] });
  });

  it('opening a history entry shows the run held for its settings, or keeps the one shown', () => {
    let m = reduceMnist(INITIAL_MNIST, { type: 'mnist-train', id: 1, form: form({ lr: '0.1' }) });
    m = reduceMnist(m, { type: 'mnist-train', id: 2, form: form({ lr: '0.2' }) });
    expect(reduceMnist(m, { type: 'mnist-open', form: form({ lr: '0.1' }), copy: 1 })).toMatchObject({ shown: 1, compared: undefined, copy: 1, form: { lr: '0.1' } });
    expect(reduceMnist(m, { type: 'mnist-open', form: form({ lr: '0.3' }), copy: 0 })).toMatchObject({ shown: 2, compared: 1 });
  });

  it('discarding the shown run shows the latest left; show and compare of unknown runs change nothing', () => {
    let m = reduceMnist(INITIAL_MNIST, { type: 'mnist-train', id: 1, form: form() });
    m = reduceMnist(m, { type: 'mnist-train', id: 2, form: form() });
    m = reduceMnist(m, { type: 'mnist-select', copy: 3 });
    expect(reduceMnist(m, { type: 'mnist-discard', id: 2 })).toMatchObject({ shown: 1, compared: undefined, copy: 0, runs: [{ id: 1 }] });
    expect(reduceMnist(m, { type: 'mnist-discard', id: 1 })).toMatchObject({ shown: 2, compared: undefined, copy: 3 });
    expect(reduceMnist(m, { type: 'mnist-show', id: 9 })).toBe(m);
    expect(reduceMnist(m, { type: 'mnist-show', id: 1 })).toMatchObject({ shown: 1, compared: undefined, copy: 0 });
  });

  it('the page reducer opens the MNIST tab on a link or a Train, and leaves the state alone for a no-op', () => {
    const s = reduce(INITIAL_STATE, { type: 'mnist-open', form: form(), copy: 0 });
    expect(s.tab).toBe('mnist');
    expect(reduce(s, { type: 'mnist-show', id: 4 })).toBe(s);
  });
});

describe('the MNIST view in the URL', () => {
  const mnistState = (over: Partial<PageState['mnist']>): PageState => ({ ...INITIAL_STATE, tab: 'mnist', mnist: { ...INITIAL_MNIST, ...over } });

  it('a link fills the form and selects its copy; the settings table canonicalises each value', () => {
    const r = readUrl('?tab=mnist&lr=0.05;0.1&seeds=2&epochs=1&train-limit=500&backend=cpu-f32&copy=1');
    expect(r.tab).toBe('mnist');
    expect(r.linkNotes).toEqual([]);
    expect(r.mnist).toEqual({ type: 'mnist-open', form: form({ lr: '0.05, 0.1', epochs: '1', train: '500', engine: 'cpu' }), copy: 1 });
  });

  it('writes only what differs from the defaults, lists without spaces, and reads back what it wrote', () => {
    expect(writeUrl(mnistState({}))).toBe('?tab=mnist');
    const s = mnistState({ form: form({ lr: '0.01, 0.2', test: '500', schedule: 'step' }), copy: 3 });
    const link = writeUrl(s);
    expect(link).toBe('?tab=mnist&lr=0.01%2C0.2&test-limit=500&schedule=step&copy=3');
    expect(readUrl(link).mnist).toEqual({ type: 'mnist-open', form: s.mnist.form, copy: 3 });
    expect(writeUrl(mnistState({ copy: 'loaded' }))).toBe('?tab=mnist'); // loaded weights are no link's
    expect(writeUrl({ ...mnistState({ copy: 2 }), tab: 'course' })).toBe('?');
  });

  it('a bad value gives a note naming the fix and keeps the default', () => {
    const r = readUrl('?tab=mnist&lr=0.1,x&seeds=0&copy=99&epochs=3');
    expect(r.mnist.form).toEqual(form({ epochs: '3' }));
    expect(r.mnist.copy).toBe(0);
    expect(r.linkNotes).toEqual([
      'lr: "0.1,x": expected learning rates above 0 and below 100, comma-separated (e.g. --lr 0.05); the form keeps 0.05, 0.1.',
      'seeds: "0": expected a whole number from 1 to 10,000; the form keeps 2.',
      'copy: "99" is not a copy\'s number (0 … 31); copy 0 is selected.',
    ]);
  });

  it('MNIST parameters of a link to another tab are not read', () => {
    expect(readUrl('?lr=x&copy=2').linkNotes).toEqual([]);
  });

  it('formText names the problem of a bad field', () => {
    expect(formText('schedule', 'cosine')).toEqual({ ok: false, message: '--schedule cosine: expected one of onecycle or step' });
  });
});
