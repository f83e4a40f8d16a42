/** Checked element lookups: a missing element is a bug, named at once rather than a null later. */

/** The element with `id`, of the expected class; throws naming the id when index.html lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string, type?: new () => T): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no element #${id}`);
  if (type && !(node instanceof type)) throw new Error(`#${id} is a ${node.tagName.toLowerCase()}, not a ${type.name}`);
  return node as T;
}

/** A new element with properties and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, children: Node[] = []): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
