/* Explorers of the isingsc book: plotly figures whose sliders select ONE precomputed setting together.
 *
 * Each figure (built by isingsc.interactive.static_html) is a <div> plus its plotly JSON in a
 * <script type="application/json" id="DIV-spec">. Its sliders have "skip" steps: plotly moves the
 * grip and fires plotly_sliderchange, and this script draws the setting named after the positions
 * of ALL sliders, "i0,i1,...". Curves that depend on some sliders only are stored once per
 * combination of those (layout.meta.isingsc.groups: one mask per group; frame "i0,*" for a group
 * that ignores slider 1): the frames of all groups for the setting are drawn together. Play buttons
 * ("skip" buttons listed in layout.meta.isingsc.play as {menu index: slider index}) step that slider
 * through its values with the others fixed; a second press pauses. Traces listed in
 * layout.meta.isingsc.odd are stored as the first half of y and restored here (y[n + k] = -y[k]).
 * Axes that follow the data (panels without a fixed range) get, for every setting, the range listed in
 * layout.meta.isingsc.ranges[axis][setting name] (computed with the frames, so that every frame's
 * data lie inside the visible axes); axisRanges(gd, name) says which ranges a setting is drawn with.
 * Playback carries a token: a pause (or a slider move) while a step is being drawn cancels it, so the
 * step that was in flight does not arm the next one.
 * One script for every explorer;
 * no network, no require.js.
 */
(function () {
  "use strict";
  // pause between two steps of playback (ms): window.isingscExplorers.playStepMs (tests/test_browser.py
  // shortens it so that its checks of a pause need not wait 650 ms each)
  var api = {playStepMs: 650};

  function sliders(gd) {
    return (gd._fullLayout && gd._fullLayout.sliders) || [];
  }

  function frameName(gd) {
    return sliders(gd).map(function (s) { return String(s.active || 0); }).join(",");
  }

  function groups(gd) {
    var meta = (gd.layout.meta && gd.layout.meta.isingsc) || {};
    return meta.groups || [sliders(gd).map(function () { return true; })];
  }

  function groupFrameNames(gd) {
    var active = sliders(gd).map(function (s) { return String(s.active || 0); });
    return groups(gd).map(function (mask) {
      return active.map(function (a, k) { return mask[k] ? a : "*"; }).join(",");
    });
  }

  // the axis ranges a setting is drawn with: {axis name ("xaxis", "yaxis2", ...): [lo, hi]}
  function axisRanges(gd, name) {
    var meta = (gd.layout.meta && gd.layout.meta.isingsc) || {};
    var perFrame = meta.ranges || {};
    var out = {};
    Object.keys(gd._fullLayout).forEach(function (key) {
      if (!/^[xy]axis\d*$/.test(key)) { return; }
      var r = perFrame[key] && perFrame[key][name];
      out[key] = r ? [r[0], r[1]] : gd._fullLayout[key].range.slice();
    });
    return out;
  }

  function show(gd) {
    var name = frameName(gd);
    var hash = (gd._transitionData && gd._transitionData._frameHash) || {};
    var merged = {name: name, data: [], traces: []};
    groupFrameNames(gd).forEach(function (g) {
      var fr = hash[g];
      if (!fr) { return; }
      merged.data = merged.data.concat(fr.data);
      merged.traces = merged.traces.concat(fr.traces);
    });
    var perFrame = ((gd.layout.meta && gd.layout.meta.isingsc) || {}).ranges || {};
    var layout = {};
    Object.keys(perFrame).forEach(function (axis) {
      var r = perFrame[axis][name];
      if (r) { layout[axis] = {range: [r[0], r[1]], autorange: false}; }
    });
    if (Object.keys(layout).length) { merged.layout = layout; }
    gd.setAttribute("data-frame", name);
    return Plotly.animate(gd, [merged], {
      mode: "immediate",
      frame: {duration: 0, redraw: true},
      transition: {duration: 0}
    });
  }

  function setSlider(gd, k, index) {
    var update = {};
    update["sliders[" + k + "].active"] = index;
    return Plotly.relayout(gd, update);
  }

  // playback state: gd._isingscPlay is a token object while playing, null otherwise; a step checks that
  // its token is still the current one before it draws and before it arms the next step, so a pause
  // that arrives while a step is being drawn (the timer has fired, the promise is pending) stops it too
  function stop(gd) {
    var token = gd._isingscPlay;
    if (token) {
      token.cancelled = true;
      if (token.timer) { clearTimeout(token.timer); }
    }
    gd._isingscPlay = null;
    gd.removeAttribute("data-playing");
  }

  function play(gd, k) {
    if (gd._isingscPlay) { stop(gd); return; }
    var n = sliders(gd)[k].steps.length;
    var start = sliders(gd)[k].active || 0;
    var i = start >= n - 1 ? -1 : start;   // at the end: start over
    var token = {cancelled: false, timer: null};
    gd._isingscPlay = token;
    gd.setAttribute("data-playing", String(k));
    function step() {
      token.timer = null;
      if (token.cancelled) { return; }
      i += 1;
      if (i >= n) { stop(gd); return; }
      setSlider(gd, k, i).then(function () {
        if (token.cancelled) { return null; }
        return show(gd);
      }).then(function () {
        if (!token.cancelled) { token.timer = setTimeout(step, api.playStepMs); }
      });
    }
    token.timer = setTimeout(step, 0);
  }

  function attach(gd) {
    var meta = (gd.layout.meta && gd.layout.meta.isingsc) || {};
    var playMenus = meta.play || {};
    gd.on("plotly_sliderchange", function () {
      stop(gd);
      show(gd);
    });
    // play/pause on the press itself (pointerdown, captured before plotly sees it), not on plotly's
    // "click": plotly redraws its buttons while a step is drawn, and a click whose press and release land
    // on two different copies of the button is never reported
    gd.addEventListener("pointerdown", function (ev) {
      if (ev.button !== undefined && ev.button !== 0) { return; }
      var button = ev.target && ev.target.closest && ev.target.closest("g.updatemenu-button");
      var box = button && button.closest("g.updatemenu-container");
      if (!box) { return; }
      var datum = box.__data__ || {};
      var menu = datum._index !== undefined ? datum._index
        : Array.prototype.indexOf.call(gd.querySelectorAll("g.updatemenu-container"), box);
      if (playMenus[String(menu)] !== undefined) {
        ev.preventDefault();
        play(gd, playMenus[String(menu)]);
      }
    }, true);
    gd.setAttribute("data-frame", frameName(gd));
    gd.setAttribute("data-ready", "1");
  }

  // traces stored as the first half of y (layout.meta.isingsc.odd): y[n + k] = -y[k]
  function decode(v) {
    if (v && typeof v === "object" && "bdata" in v) {
      var bin = atob(v.bdata), buf = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { buf[i] = bin.charCodeAt(i); }
      return new Float32Array(buf.buffer);
    }
    return v;
  }

  function restoreOddHalves(spec) {
    var odd = ((spec.layout.meta || {}).isingsc || {}).odd || [];
    if (!odd.length) { return; }
    (spec.frames || []).forEach(function (fr) {
      fr.traces.forEach(function (ti, j) {
        var d = fr.data[j];
        if (odd.indexOf(ti) < 0 || !d.y) { return; }
        var half = decode(d.y), n = half.length, full = new Float32Array(2 * n);
        for (var k = 0; k < n; k++) { full[k] = half[k]; full[n + k] = -half[k]; }
        d.y = full;
      });
    });
  }

  function render(id) {
    var gd = document.getElementById(id);
    var specEl = document.getElementById(id + "-spec");
    if (!gd || !specEl || !window.Plotly) { return null; }
    var spec = JSON.parse(specEl.textContent);
    restoreOddHalves(spec);
    var box = gd.parentNode;
    var fallback = box && box.querySelector(".isingsc-explorer-fallback");
    if (fallback) { fallback.style.display = "none"; }
    var config = {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"]};
    return Plotly.newPlot(gd, spec.data, spec.layout, config).then(function () {
      return Plotly.addFrames(gd, spec.frames || []);
    }).then(function () {
      attach(gd);
      return show(gd);  // draw the default setting from its frames, as every later setting is drawn
    }).then(function () {
      return gd;
    });
  }

  api.render = render; api.frameName = frameName; api.groupFrameNames = groupFrameNames;
  api.axisRanges = axisRanges; api.show = show; api.play = play; api.stop = stop;
  window.isingscExplorers = api;
})();
