/* The installable, offline Studio on the page's side: registers sw.js once the Studio is ready, tells
   when a new version waits, whether the network is there and whether the browser offers Install.
   State goes on <html> (data-network, data-update, data-installable) and as "pyxis:*" events; the
   Python UI (studio/browser/ui/app_status.py) shows it and calls window.pyxisApp. */
(function () {
  "use strict";
  var root = document.documentElement;
  var CHECK_EVERY_MS = 30 * 60 * 1000; // an open Studio looks for a new build this often (and on focus)
  var registration = null;
  var hadWorker = false; // a worker was active before this page: anything newer is an update
  var updateReady = false;
  var installPrompt = null;

  function tell(name) { window.dispatchEvent(new CustomEvent("pyxis:" + name)); }

  function setNetwork() {
    root.dataset.network = navigator.onLine ? "online" : "offline";
    tell("network");
  }
  setNetwork();
  window.addEventListener("online", function () { setNetwork(); check(); });
  window.addEventListener("offline", setNetwork);

  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault(); // the toolbar's Install button shows the prompt when the user asks
    installPrompt = event;
    root.dataset.installable = "true";
    tell("installable");
  });
  window.addEventListener("appinstalled", function () {
    installPrompt = null;
    root.dataset.installable = "installed";
    tell("installable");
  });

  function markUpdate() {
    if (updateReady) return;
    updateReady = true;
    root.dataset.update = "ready";
    tell("update");
  }

  function watch(worker) {
    if (!worker) return;
    worker.addEventListener("statechange", function () {
      // "installed" with a page still on the old version waits for the page; with no page under the old
      // worker it goes on to "activated" by itself. Either way this page runs the old files.
      if (hadWorker && (worker.state === "installed" || worker.state === "activated")) markUpdate();
    });
  }

  function check() {
    if (registration && navigator.onLine) registration.update().catch(function () { /* offline, or gone */ });
  }

  function register() {
    if (!("serviceWorker" in navigator) || registration) return;
    hadWorker = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register("./sw.js", { scope: "./", updateViaCache: "none" }).then(function (reg) {
      registration = reg;
      hadWorker = hadWorker || !!reg.active;
      root.dataset.serviceWorker = "registered";
      if (reg.waiting && hadWorker) markUpdate();
      watch(reg.installing);
      reg.addEventListener("updatefound", function () { watch(reg.installing); });
      setInterval(check, CHECK_EVERY_MS);
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") check();
      });
    }).catch(function (error) {
      // Not fatal: the Studio works without a worker (no offline reload, no install).
      root.dataset.serviceWorker = "failed";
      console.warn("Pyxis Studio: the service worker could not be registered:", error);
    });
  }

  // After the first screen: the worker's precache download must not compete with the boot.
  if (root.dataset.studio === "ready") register();
  else {
    new MutationObserver(function (records, observer) {
      if (root.dataset.studio !== "ready") return;
      observer.disconnect();
      register();
    }).observe(root, { attributes: true, attributeFilter: ["data-studio"] });
  }

  window.pyxisApp = {
    get offline() { return !navigator.onLine; },
    get updateReady() { return updateReady; },
    get installable() { return !!installPrompt; },
    // Run the new version: the waiting worker takes over, then the page reloads once under it.
    // The caller saves the document first.
    applyUpdate: function () {
      var waiting = registration && registration.waiting;
      if (!waiting) { location.reload(); return; }
      navigator.serviceWorker.addEventListener("controllerchange", function () { location.reload(); }, { once: true });
      waiting.postMessage({ type: "SKIP_WAITING" });
    },
    install: function () {
      if (!installPrompt) return Promise.resolve("unavailable");
      var prompt = installPrompt;
      installPrompt = null;
      root.dataset.installable = "false";
      tell("installable");
      return prompt.prompt().then(function () { return prompt.userChoice; }).then(function (choice) {
        return choice.outcome;
      });
    },
  };
})();
