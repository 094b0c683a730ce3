// Building DOM from data: text only, never innerHTML with data.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A table from rows: columns = [{label, value(row), numeric}]; sortable headers.
export function table(columns, rows, { caption } = {}) {
  const t = el('table', { class: 'data' });
  if (caption) t.append(el('caption', { text: caption }));
  const thead = el('thead');
  const tr = el('tr');
  const tbody = el('tbody');
  let sortCol = -1;
  let asc = true;
  const render = () => {
    clear(tbody);
    const sorted = rows.slice();
    if (sortCol >= 0) {
      const c = columns[sortCol];
      const key = c.sort || c.value;
      sorted.sort((a, b) => {
        const x = key(a); const y = key(b);
        const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'vi');
        return asc ? r : -r;
      });
    }
    for (const row of sorted) {
      tbody.append(el('tr', {}, columns.map((c) => el('td', { class: c.numeric ? 'num' : undefined },
        c.render ? c.render(row) : String(c.value(row) ?? '')))));
    }
  };
  columns.forEach((c, i) => {
    const btn = el('button', { type: 'button', class: 'sort', text: c.label });
    const th = el('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': 'none' }, btn);
    btn.addEventListener('click', () => {
      asc = sortCol === i ? !asc : true;
      sortCol = i;
      for (const h of tr.children) h.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      render();
    });
    tr.append(th);
  });
  thead.append(tr);
  t.append(thead, tbody);
  render();
  return t;
}
