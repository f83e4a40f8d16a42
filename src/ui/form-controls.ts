/**
 * The sweep form's building blocks: labelled fields and groups keyed by the spec path they edit (`data-path`, e.g.
 * "x.count", "network.width"), so a validation message names its field; and how a field's text becomes a spec value.
 */

/** A raw spec, as the form reads it (validated by parseSpec). */
export type Raw = Record<string, unknown>;

/** A new element with string properties and children. */
export function el(tag: string, props: Record<string, string> = {}, children: Node[] = []): HTMLElement {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** `control` labelled `label`, editing the spec field at `path`. */
export function field(label: string, path: string, control: HTMLInputElement | HTMLSelectElement): HTMLLabelElement {
  control.dataset.path = path;
  control.name = path;
  return el('label', {}, [document.createTextNode(label), control]) as HTMLLabelElement;
}

/** A fieldset for the spec field at `path` (an axis, init, the MLP). */
export function group(path: string, legend: string, children: Node[]): HTMLFieldSetElement {
  const node = document.createElement('fieldset');
  node.dataset.path = path;
  const title = document.createElement('legend');
  title.textContent = legend;
  node.append(title, ...children);
  return node;
}

/** A text field for numbers (text, not type=number: a wrong value reaches validation, which names it). */
export const numberInput = (step = 'any') => el('input', { type: 'text', inputMode: 'decimal', step }) as HTMLInputElement;
export const select = (options: readonly string[]) => el('select', {}, options.map((o) => el('option', { value: o, textContent: o }))) as HTMLSelectElement;

/** The control of the spec field at `path`. */
export const control = (form: HTMLFormElement, path: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-path="${path}"]`)!;

/** A control's text: a checkbox's "true" or "false", any other its value. */
export const controlText = (c: HTMLInputElement | HTMLSelectElement) => (c instanceof HTMLInputElement && c.type === 'checkbox' ? String(c.checked) : c.value);

/** Shows or hides the label (or fieldset) of the field at `path`. */
export function showField(form: HTMLFormElement, path: string, on: boolean): void {
  const node = form.querySelector<HTMLElement>(`[data-path="${path}"]`)!;
  (node instanceof HTMLFieldSetElement ? node : node.closest('label')!).hidden = !on;
}

/** Whether the field at `path` is hidden in the form (its label, or a fieldset around it; not the tab the form is on). */
export function fieldHidden(form: HTMLFormElement, path: string): boolean {
  const hidden = control(form, path).closest('[hidden]');
  return hidden !== null && form.contains(hidden);
}

/** A field's text as a spec value: blank → undefined (the default), a number → the number, else the text as written (validation names it). */
export function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isNaN(n) ? trimmed : n;
}
