/* Watches the Python boot and shows why it failed on the page (external file: the CSP forbids inline scripts). */
(function () {
  "use strict";
  // Python marks <html data-studio="ready"> when the Studio is up; past this, the boot is declared stuck.
  var TIMEOUT_MS = 60000;
  var root = document.documentElement;
  var timedOut = false;
  var failed = false;

  function isReady() { return root.dataset.studio === "ready"; }

  function onBody(fn) {
    if (document.body) fn();
    else document.addEventListener("DOMContentLoaded", fn, { once: true });
  }

  function fail(reason) {
    if (failed || isReady()) return;
    failed = true;
    root.dataset.studio = "error";
    onBody(function () {
      var box = document.querySelector('[data-testid="boot-error"]');
      if (!box) {
        box = document.createElement("div");
        box.className = "boot-error";
        box.setAttribute("data-testid", "boot-error");
        box.setAttribute("role", "alert");
        document.body.appendChild(box);
      }
      var title = document.createElement("h2");
      title.textContent = "Pyxis Studio could not start";
      var detail = document.createElement("pre");
      detail.textContent = String(reason);
      var hint = document.createElement("p");
      hint.textContent = "Reload the page to try again. If you host the Studio yourself, " +
        "check that static/vendor/ holds the runtime (python -m studio.site.runtime).";
      box.replaceChildren(title, detail, hint);
      box.hidden = false;
      var loading = document.querySelector('[data-testid="boot-loading"]');
      if (loading) loading.hidden = true;
    });
  }

  var timer = setTimeout(function () {
    timedOut = true;
    fail("Python did not start within " + TIMEOUT_MS / 1000 + " s.");
  }, TIMEOUT_MS);

  // Ready wins: a late boot after a timeout clears the message.
  new MutationObserver(function () {
    if (!isReady()) return;
    clearTimeout(timer);
    if (timedOut) {
      var box = document.querySelector('[data-testid="boot-error"]');
      if (box) box.hidden = true;
    }
  }).observe(root, { attributes: true, attributeFilter: ["data-studio"] });

  // PyScript's error plugin reports config errors and Python tracebacks as <div class="py-error">.
  onBody(function () {
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType === 1 && n.classList.contains("py-error")) fail(n.textContent);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });

  // A missing core.js/chunk: resource errors do not bubble, so listen in the capture phase.
  window.addEventListener("error", function (event) {
    var el = event.target;
    if (el && el.tagName === "SCRIPT") fail("Could not load " + (el.src || "a script") + ".");
    else if (event.message) fail(event.message);
  }, true);

  // PyScript keeps its package cache and pyscript.fs handles in IndexedDB ("IDBMap/…" databases)
  // and cannot start if it is missing or refused (private modes). Those get an in-memory stand-in
  // with the few calls PyScript makes; the Studio's own databases never do (it sees IndexedDB is
  // off, starts without it and says so: ui/documents.py).
  function memoryDatabase() {
    var data = new Map();
    function request(result) {
      var r = { result: result, readyState: "done" };
      setTimeout(function () { if (r.onsuccess) r.onsuccess({ type: "success", target: r }); }, 0);
      return r;
    }
    var store = {
      get: function (k) { return request(data.get(k)); },
      getKey: function (k) { return request(data.has(k) ? k : undefined); },
      getAllKeys: function () { return request(Array.from(data.keys())); },
      getAll: function () { return request(Array.from(data.values())); },
      count: function () { return request(data.size); },
      put: function (v, k) { data.set(k, v); return request(k); },
      delete: function (k) { data.delete(k); return request(undefined); },
      clear: function () { data.clear(); return request(undefined); }
    };
    return {
      pyxisInMemory: true, objectStoreNames: { length: 1, contains: function () { return true; } },
      createObjectStore: function () { return store; }, close: function () {},
      transaction: function () { return { objectStore: function () { return store; } }; }
    };
  }
  function openInMemory() {
    root.dataset.indexeddb = "off";
    return memoryDatabase();
  }
  var memoryFactory = { pyxisInMemory: true, open: function () {
    var r = { readyState: "pending" };
    setTimeout(function () { r.result = openInMemory(); if (r.onsuccess) r.onsuccess({ type: "success", target: r }); }, 0);
    return r;
  } };
  var factory;
  try { factory = window.indexedDB; } catch (e) { factory = null; }
  if (!factory) {
    Object.defineProperty(window, "indexedDB", { value: memoryFactory, configurable: true });
  } else {
    // Present but perhaps refusing: PyScript's databases fall back to memory when open() fails.
    var open = factory.open;
    factory.open = function (name) {
      if (String(name).indexOf("IDBMap/") !== 0) return open.apply(factory, arguments);
      var r = { readyState: "pending" }, real;
      function toMemory() { return memoryFactory.open(name); }
      try { real = open.apply(factory, arguments); } catch (e) { return toMemory(); }
      real.onupgradeneeded = function (e) { if (r.onupgradeneeded) r.onupgradeneeded({ target: { result: real.result, transaction: real.transaction } }); };
      real.onsuccess = function () { r.result = real.result; r.readyState = "done"; if (r.onsuccess) r.onsuccess({ type: "success", target: r }); };
      real.onerror = function (e) {
        if (e && e.preventDefault) e.preventDefault();
        var m = toMemory();
        m.onsuccess = function (ev) { r.result = ev.target.result; r.readyState = "done"; if (r.onsuccess) r.onsuccess({ type: "success", target: r }); };
      };
      return r;
    };
  }

  // Pyodide failing to load (a missing wasm, a bad interpreter URL) ends as a rejected promise.
  window.addEventListener("unhandledrejection", function (event) {
    var r = event.reason;
    fail((r && (r.stack || r.message)) || String(r));
  });

  // Some failures never settle a promise (a 404 on pyodide-lock.json throws inside Pyodide's
  // loader and nothing hears it), so any file of the page answering 4xx/5xx during boot is fatal;
  // except Python's memory snapshot, which is optional (static/pyodide-boot.mjs starts without it).
  var OPTIONAL = /\/static\/python\.snapshot\.gz$/;
  if (window.PerformanceObserver) {
    try {
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (e) {
          if (e.responseStatus >= 400 && !OPTIONAL.test(e.name)) fail("Could not load " + e.name + " (HTTP " + e.responseStatus + ").");
        });
      }).observe({ type: "resource", buffered: true });
    } catch (e) { /* older browsers: the timeout still catches a stuck boot */ }
  }

  // Pyodide only console.warn()s a failed WebAssembly instantiation (a missing or corrupt
  // pyodide.asm.wasm) and then never settles its promise: watch for that warning, or the page hangs.
  var warn = console.warn;
  var wasmFailed = false;
  console.warn = function () {
    var first = arguments[0];
    if (wasmFailed) {
      fail("Pyodide could not instantiate pyodide.asm.wasm: " + String(first && (first.message || first)));
    } else if (typeof first === "string" && first.indexOf("wasm instantiation failed") === 0) {
      wasmFailed = true;
      // Pyodide warns the reason right after; fail anyway if it does not.
      setTimeout(function () { fail("Pyodide could not instantiate pyodide.asm.wasm."); }, 0);
    }
    return warn.apply(console, arguments);
  };

  window.addEventListener("securitypolicyviolation", function (event) {
    fail("Blocked by the Content Security Policy: " + event.violatedDirective + " " + event.blockedURI);
  });

  // The loading screen's three steps (index.html): the runtime's download, Python's start, the Studio's
  // start. Each becomes active, then done with its time; the bar counts them (and the download's files).
  // The times end up in window.pyxisBoot (ms since navigation), for benchmarks/browser_boot.py.
  var RUNTIME = ["pyodide.asm.wasm", "python_stdlib.zip"]; // the big files: their arrival ends the download
  var steps = ["download", "python", "studio"];
  var current = 0;
  var marks = { download: 0, python: 0, studio: 0, bytes: 0 };
  window.pyxisBoot = marks;

  function stepEl(name) { return document.querySelector('#boot-steps [data-step="' + name + '"]'); }
  function detail(name, text) {
    var el = stepEl(name);
    var span = el && el.querySelector(".boot-detail");
    if (span) span.textContent = text;
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + " s"; }
  function runtimeEntries() {
    return performance.getEntriesByType("resource").filter(function (e) {
      return RUNTIME.indexOf(e.name.split("?")[0].split("/").pop()) >= 0;
    });
  }
  function downloadText(entries) {
    // Bytes that crossed the network; 0 when they came from this device (service worker or HTTP cache).
    var bytes = entries.reduce(function (sum, e) { return sum + (e.transferSize || 0); }, 0);
    marks.bytes = bytes;
    return bytes ? (bytes / 1048576).toFixed(1) + " MB" : "from this device";
  }
  function setBar(value) {
    var el = document.getElementById("boot-bar");
    if (el && value > el.value) el.value = value;
  }

  // Finish every step up to `name` (one can be skipped when events come close together), start the next.
  function reach(name) {
    var now = performance.now();
    var upto = steps.indexOf(name);
    while (current <= upto) {
      var step = steps[current];
      if (step === "download") {
        var entries = runtimeEntries();
        var end = entries.length ? Math.max.apply(null, entries.map(function (e) { return e.responseEnd; })) : now;
        marks.download = Math.min(end, now);
        detail(step, downloadText(entries) + " · " + seconds(marks.download));
      } else {
        marks[step] = now;
        detail(step, seconds(now - marks[steps[current - 1]]));
      }
      var el = stepEl(step);
      if (el) el.dataset.state = "done";
      current += 1;
      var next = stepEl(steps[current]);
      if (next) next.dataset.state = "active";
      setBar(current);
    }
  }

  if (window.PerformanceObserver) {
    try {
      // Each runtime file that arrives moves the bar and the byte count; the last one ends the download
      // (this callback may come late: reach() takes the files' own arrival times, not the callback's).
      new PerformanceObserver(function () {
        var entries = runtimeEntries();
        if (!entries.length) return;
        if (current > 0) {
          // The compiled wasm can end the download before the other file's entry is listed: count it late.
          if (current < steps.length) detail("download", downloadText(entries) + " · " + seconds(marks.download));
          return;
        }
        if (entries.length >= RUNTIME.length) onBody(function () { reach("download"); });
        else {
          detail("download", downloadText(entries) + " …");
          setBar(entries.length / RUNTIME.length);
        }
      }).observe({ type: "resource", buffered: true });
    } catch (e) { /* older browsers: PyScript's own events still move the steps */ }
  }

  // Pyodide compiles pyodide.asm.wasm as it streams in; once that resolves, Python's start-up holds the
  // main thread for a while. Let one frame through first, so the screen says "Starting Python" then.
  if (window.WebAssembly && typeof WebAssembly.instantiateStreaming === "function") {
    var streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = function () {
      return streaming.apply(WebAssembly, arguments).then(function (result) {
        // The compiled runtime, for the image engine's worker (studio/browser/engine_link.py): it
        // instantiates this module instead of downloading and compiling the same wasm again.
        if (result && result.module && !window.pyxisWasm) window.pyxisWasm = result.module;
        if (current > 0) return result;
        onBody(function () { reach("download"); });
        return new Promise(function (resolve) {
          var go = function () { resolve(result); };
          requestAnimationFrame(function () { setTimeout(go, 0); });
          setTimeout(go, 50); // a hidden tab has no frames
        });
      });
    };
  }

  // PyScript reports its steps as "py:progress" events ("Loading interpreter", "Loaded interpreter", …):
  // Pyodide has downloaded and compiled the runtime and started Python once the interpreter is loaded.
  window.addEventListener("py:progress", function (event) {
    var text = typeof event.detail === "string" ? event.detail : "";
    var p = document.getElementById("boot-progress");
    if (p) p.textContent = text;
    if (text === "Loaded interpreter" || /^Load(ing|ed) files/.test(text)) onBody(function () { reach("python"); });
  });
  new MutationObserver(function () {
    if (isReady() && current < steps.length) reach("studio");
  }).observe(root, { attributes: true, attributeFilter: ["data-studio"] });
})();
