/**
 * The MNIST settings form on the page: its number inputs' limits (from the settings table), the plan line, the field
 * errors and Train's state after each edit, and the fields filled from the store's settings (a link, Back, Forward).
 */
import { byId, el } from '../dom';
import type { Store } from '../store';
import { errorsToShow, formLimits, planLine, readMnistForm, type FieldError, type MnistFormRead, type MnistFormValues } from './form';
import { FORM_FIELD_NAMES } from './view-state';

export interface FormView {
  /** The fields as typed. */
  values(): MnistFormValues;
  /** Re-reads the form: the plan line, Train's state and the field errors (`commit`: show them all). */
  check(commit: boolean): MnistFormRead;
  /** The last run's failure, shown under the field errors until the next Train (empty: none). */
  setRunError(message: string): void;
}

export function mountFormView(store: Store, running: () => boolean): FormView {
  const form = byId('mnist-form', HTMLFormElement), errors = byId('mnist-errors'), runButton = byId('mnist-run', HTMLButtonElement);
  let fieldErrors: FieldError[] = [], runError = '';
  // The number inputs' min and max, from the settings table (src/mnist/settings.ts), which the command line shares.
  for (const { field, min, max } of formLimits()) {
    const input = form.elements.namedItem(field);
    if (input instanceof HTMLInputElement && input.type === 'number') { if (min !== undefined) input.min = String(min); if (max !== undefined) input.max = String(max); }
  }
  const values = (): MnistFormValues => Object.fromEntries(new FormData(form)) as unknown as MnistFormValues;
  const check = (commit: boolean): MnistFormRead => {
    const read = readMnistForm(values());
    const plan = byId('mnist-plan');
    plan.textContent = planLine(read);
    plan.classList.toggle('blocked', !read.ok); // Train cannot run it: said in the error colour
    fieldErrors = errorsToShow(read.ok ? [] : read.errors, fieldErrors, commit);
    for (const input of form.querySelectorAll<HTMLInputElement>('input[name], select[name]')) {
      input.setAttribute('aria-invalid', String(fieldErrors.some((e) => e.field === input.name)));
    }
    errors.textContent = [...fieldErrors.map((e) => e.message), runError].filter(Boolean).join('\n');
    runButton.disabled = running() || !read.ok;
    return read;
  };
  form.addEventListener('input', () => check(false));
  form.addEventListener('change', () => check(true));
  // The store's settings into the fields: a value a select lacks (a link's train-limit=3000) becomes an option of it.
  store.subscribe((s) => s.mnist.form, () => {
    const settings = store.get().mnist.form;
    for (const field of FORM_FIELD_NAMES) {
      const input = form.elements.namedItem(field), text = settings[field];
      if (input instanceof HTMLSelectElement && ![...input.options].some((o) => o.value === text)) input.append(el('option', { value: text, textContent: text }));
      if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) input.value = text;
    }
    check(false);
  });
  return { values, check, setRunError(message) { runError = message; check(false); } };
}
