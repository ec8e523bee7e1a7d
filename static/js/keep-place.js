// Back to a list of batches returns to the row a person left it from.
//
// The list itself comes back from its address (?through= holds every row loaded), and
// the browser normally puts the scroll back. Not always: Chromium loses the position
// when it evicts a page it was keeping for Back (a request that finishes while the page
// is frozen is enough), and the list then opens at its top, a hundred rows away. So the
// history entry also remembers which row was where on the screen, and after loading,
// if the browser has not put that row back in place, this does.
(function () {
  "use strict";

  const TOLERANCE_PX = 40;
  let leaving = false;

  function rowAtTop() {
    for (const row of document.querySelectorAll(".batch-row[id]")) {
      const box = row.getBoundingClientRect();
      if (box.bottom > 0) return { id: row.id, top: box.top };
    }
    return null;
  }

  function remember() {
    const row = rowAtTop();
    if (row) history.replaceState({ ...history.state, keptRow: row }, "");
  }

  // Once back, the row is forgotten: leaving later by another way (the tab bar) must
  // not bring back a place the person has since scrolled away from.
  function forget() {
    if (history.state && history.state.keptRow) {
      const { keptRow, ...rest } = history.state;
      history.replaceState(rest, "");
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".batch-row a")) {
      leaving = true;
      remember();
    }
  });
  // A page of rows that arrives after the tap replaces the entry's state (htmx).
  document.addEventListener("htmx:replacedInHistory", function () {
    if (leaving) remember();
  });
  window.addEventListener("pageshow", function (event) {
    leaving = false;
    if (event.persisted) forget(); // kept whole for Back: the place came with it
  });

  window.addEventListener("load", function () {
    const kept = history.state && history.state.keptRow;
    const row = kept && document.getElementById(kept.id);
    if (!row) {
      forget();
      return;
    }
    // After the browser's own restoring, which happens as the page finishes loading.
    requestAnimationFrame(function () {
      const off = row.getBoundingClientRect().top - kept.top;
      if (Math.abs(off) > TOLERANCE_PX) window.scrollBy(0, off);
      forget();
    });
  });
})();
