// The "code: the cell" link under each figure (_ext/figure_provenance.py) jumps to the cell that drew the
// figure; a folded cell (hide-input) is opened so that its code shows.
(function () {
  "use strict";
  function openCell(hash) {
    if (!hash || hash.indexOf("#figure-") !== 0) { return; }
    const cell = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!cell) { return; }
    for (const d of cell.querySelectorAll("details")) { d.open = true; }
  }
  document.addEventListener("click", (ev) => {
    const a = ev.target.closest && ev.target.closest("a.isingsc-cell-link");
    if (a) { openCell(a.getAttribute("href")); }
  });
  window.addEventListener("hashchange", () => openCell(location.hash));
  document.addEventListener("DOMContentLoaded", () => openCell(location.hash));
})();
