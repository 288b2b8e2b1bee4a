// Index tables a reader can work: filters by kind and actor, and sorting by any column. Without
// script the table is whole and plain, and the filters stay hidden. Nothing here fetches anything.
(function () {
  const matches = (row, name, value) =>
    !value || (row.dataset[name] || "").split(" ").includes(value);

  document.querySelectorAll("form.table-filters").forEach((form) => {
    const table = document.getElementById(form.dataset.table);
    if (!table) return;
    const rows = [...table.tBodies[0].rows];
    const count = form.querySelector(".table-count");
    const apply = () => {
      const chosen = [...form.querySelectorAll("select")].map((s) => [s.name, s.value]);
      let shown = 0;
      rows.forEach((row) => {
        row.hidden = !chosen.every(([name, value]) => matches(row, name, value));
        if (!row.hidden) shown += 1;
      });
      count.textContent = `${shown} of ${rows.length} shown`;
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    apply();
  });

  // The theme wraps wide tables in a box that scrolls sideways: one that does scroll is reached
  // by keyboard too (axe: scrollable-region-focusable), named after the heading above it, so
  // that no two regions of a page share a name (axe: landmark-unique). The theme wraps them on
  // each page load, which its document$ announces.
  const focusable = () => {
    const named = new Map();
    document.querySelectorAll(".md-typeset__scrollwrap").forEach((box) => {
      if (box.scrollWidth <= box.clientWidth + 1) return;
      const heading = headingBefore(box);
      const count = (named.get(heading) || 0) + 1;
      named.set(heading, count);
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const name = count > 1 ? `${heading}, table ${count}` : `${heading}, table`;
      box.setAttribute("aria-label", `${name} (scrolls sideways)`);
    });
  };
  const headingBefore = (box) => {
    const headings = [...document.querySelectorAll("article h1, article h2, article h3")];
    const before = headings.filter((h) => h.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
    const heading = before.length ? before[before.length - 1] : null;
    return heading ? heading.textContent.replace("¶", "").trim() : "Table";
  };
  // The theme gives each code block a <nav> for its copy button, all unnamed: each its own
  // name, so that no two landmarks of a page share one (axe: landmark-unique).
  const codeTools = () => {
    document.querySelectorAll(".md-code__nav").forEach((nav, i) => {
      nav.setAttribute("aria-label", `Code example ${i + 1}: copy`);
    });
  };
  const named = () => { focusable(); codeTools(); };
  if (window.document$) window.document$.subscribe(named); else named();

  // The theme's side bars scroll on their own when taller than the window (a long source
  // page's contents, a short window): reachable by keyboard too, named by what they hold.
  document.querySelectorAll(".md-sidebar__scrollwrap").forEach((box) => {
    const primary = box.closest(".md-sidebar--primary");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", primary ? "Site navigation" : "Table of contents");
  });

  // On a narrow screen the site navigation is a drawer, off-screen until opened: closed, it is
  // inert, so that the keyboard does not wander through it before reaching the page.
  const drawer = document.getElementById("__drawer");
  const navigation = document.querySelector(".md-sidebar--primary");
  const narrow = window.matchMedia("(max-width: 76.234375em)");  // the theme's drawer width
  const closeOff = () => { if (navigation) navigation.inert = narrow.matches && !drawer.checked; };
  if (drawer) {
    drawer.addEventListener("change", closeOff);
    narrow.addEventListener("change", closeOff);
    closeOff();
  }

  // A printed stance matrix shows every stance's quote and citation.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.stance").forEach((d) => { d.open = true; });
  });

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  document.querySelectorAll("table.data-table").forEach((table) => {
    const headers = [...table.tHead.rows[0].cells];
    headers.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const text = (row) => row.cells[column].textContent.trim();
        const sorted = [...body.rows].sort((a, b) => {
          const [x, y] = [text(a), text(b)];
          // Empty cells last, whichever the direction.
          if (!x || !y) return (!x) - (!y);
          return ascending ? collator.compare(x, y) : collator.compare(y, x);
        });
        body.append(...sorted);
      });
    });
  });
})();
