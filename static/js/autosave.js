// Autosave for long clinical text (session notes, letters).
//
// Protocol: a <form data-autosave> posts itself with the header
// "X-Autosave: 1" a moment after the last keystroke. The view answers JSON
// {"saved_at": "14:03", "url": "<edit url>"}; when the draft was new, the
// form's action and the address bar move to the returned edit url, so the
// next save updates the same draft. A status element [data-autosave-status]
// inside the form says "Saved 14:03", or that saving failed and will be
// retried. Nothing is kept in the browser's storage: notes are PHI.
(function () {
  "use strict";
  const DELAY_MS = 1500;
  const RETRY_MS = 5000;

  function setup(form) {
    const status = form.querySelector("[data-autosave-status]");
    let timer = null;
    let dirty = false;
    let inFlight = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    async function save() {
      if (inFlight) {
        schedule(DELAY_MS);
        return;
      }
      inFlight = true;
      dirty = false;
      say("Saving…");
      try {
        const response = await fetch(form.action || window.location.href, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-Autosave": "1", Accept: "application/json" },
          credentials: "same-origin",
          redirect: "manual",
        });
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          dirty = true;
          say("Signed out: your text is still here. Sign in again in another tab, then keep typing.");
          return;
        }
        const body = await response.json().catch(() => ({}));
        if (!response.ok) {
          dirty = true;
          say(body.error || "Not saved: please check the highlighted fields.");
          return;
        }
        if (body.url && body.url !== form.getAttribute("action")) {
          form.setAttribute("action", body.url);
          if (form.dataset.autosaveMoveUrl !== "false") window.history.replaceState(null, "", body.url);
        }
        say("Saved " + (body.saved_at || ""));
      } catch (error) {
        dirty = true;
        say("Not saved (connection lost). Retrying…");
        schedule(RETRY_MS);
      } finally {
        inFlight = false;
      }
    }

    function schedule(ms) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, ms);
    }

    form.addEventListener("input", function () {
      dirty = true;
      say("Editing…");
      schedule(DELAY_MS);
    });
    form.addEventListener("change", function () {
      dirty = true;
      schedule(DELAY_MS);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        save();
      }
    });
    // Flush when the tab is hidden or closed, so an abandoned note is kept.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && dirty) {
        const data = new FormData(form);
        data.append("_autosave", "1");
        navigator.sendBeacon(form.action || window.location.href, data);
        dirty = false;
      }
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();
