/** Fills a <table> with rows of text cells (never HTML); the first row as headers when asked. */
export function fillTable(table: Element, rows: string[][], headerRow = true): void {
  table.replaceChildren(...rows.map((cells, i) => {
    const tr = document.createElement('tr');
    for (const c of cells) tr.append(Object.assign(document.createElement(headerRow && i === 0 ? 'th' : 'td'), { textContent: c }));
    return tr;
  }));
}
