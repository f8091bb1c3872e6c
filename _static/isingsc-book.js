/* The book's figures as a reader meets them (every page; checked by tests/test_browser.py).
 *
 * - Click to enlarge: every figure of a page (an <img> in the article) opens at its full size in an overlay
 *   that scrolls both ways; a click, Escape or the close button closes it.  Keyboard: Tab to a figure, Enter.
 * - Phones: a figure wider than the column keeps at least PHONE_PX_PER_INCH pixels per figure inch (9 pt text
 *   at 9 px or more) and scrolls sideways inside its own box, so the page itself never scrolls sideways.
 *   The figure's dpi is read from its PNG (the pHYs chunk; 100 dpi if absent).
 */
(function () {
  "use strict";
  var PHONE_PX_PER_INCH = 72;
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 700px)") : null;

  function figures() {
    return Array.prototype.filter.call(document.querySelectorAll(".bd-article img"), function (img) {
      return !img.closest("a") && !img.closest(".isingsc-lightbox");
    });
  }

  function close(box) {
    if (box && box.parentNode) { box.parentNode.removeChild(box); }
    document.removeEventListener("keydown", box._onKey);
    if (box._opener) { box._opener.focus(); }
  }

  function open(img) {
    var box = document.createElement("div");
    box.className = "isingsc-lightbox";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "figure at full size");
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt || "";
    big.width = img.naturalWidth;
    var btn = document.createElement("button");
    btn.className = "isingsc-lightbox-close";
    btn.type = "button";
    btn.textContent = "close ✕";
    box.appendChild(btn);
    box.appendChild(big);
    box._opener = img;
    box._onKey = function (ev) { if (ev.key === "Escape") { close(box); } };
    box.addEventListener("click", function () { close(box); });
    document.addEventListener("keydown", box._onKey);
    document.body.appendChild(box);
    btn.focus();
    return box;
  }

  function dpiOf(img) {
    if (img._isingscDpi) { return Promise.resolve(img._isingscDpi); }
    return fetch(img.currentSrc || img.src).then(function (r) { return r.arrayBuffer(); }).then(function (buf) {
      var b = new Uint8Array(buf), dpi = 100;
      for (var i = 8; i + 12 < Math.min(b.length, 65536); i++) {
        if (b[i] === 0x70 && b[i + 1] === 0x48 && b[i + 2] === 0x59 && b[i + 3] === 0x73) {   // "pHYs"
          var ppm = ((b[i + 4] << 24) | (b[i + 5] << 16) | (b[i + 6] << 8) | b[i + 7]) >>> 0;
          if (b[i + 12] === 1 && ppm > 0) { dpi = ppm * 0.0254; }
          break;
        }
      }
      img._isingscDpi = dpi;
      return dpi;
    }).catch(function () { return 100; });
  }

  function fitPhone(img) {
    var wrap = img.parentNode;
    if (!NARROW || !NARROW.matches) {
      wrap.classList.remove("isingsc-figure-scroll");
      img.style.width = "";
      return Promise.resolve();
    }
    return dpiOf(img).then(function (dpi) {
      var column = wrap.getBoundingClientRect().width;
      var legible = img.naturalWidth / dpi * PHONE_PX_PER_INCH;
      if (legible > column + 1) {
        wrap.classList.add("isingsc-figure-scroll");
        img.style.width = Math.min(legible, img.naturalWidth) + "px";
      }
    });
  }

  function whenLoaded(img, f) {
    if (img.complete && img.naturalWidth) { return f(img); }
    img.addEventListener("load", function () { f(img); }, {once: true});
  }

  function setup() {
    var figs = figures();
    figs.forEach(function (img) {
      // each figure in a box of its own: on a phone that box (not the page, not the whole cell output) scrolls
      var wrap = document.createElement("div");
      wrap.className = "isingsc-figure";
      img.parentNode.insertBefore(wrap, img);
      wrap.appendChild(img);
      img.classList.add("isingsc-zoomable");
      img.setAttribute("tabindex", "0");
      img.setAttribute("title", "click to open at full size");
      img.addEventListener("click", function () { open(img); });
      img.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(img); }
      });
      whenLoaded(img, fitPhone);
    });
    if (NARROW && NARROW.addEventListener) {
      NARROW.addEventListener("change", function () { figs.forEach(function (img) { whenLoaded(img, fitPhone); }); });
    }
  }

  window.isingscBook = {open: open, close: close, dpiOf: dpiOf, fitPhone: fitPhone,
                        PHONE_PX_PER_INCH: PHONE_PX_PER_INCH};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
