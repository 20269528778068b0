// Idle timeout warning. The server signs a person out after the clinic's idle
// timeout (SessionPolicyMiddleware); this only warns a minute before, offers
// "Keep me signed in" (a POST to the keepalive URL) and clears the screen when
// the time is up. Settings come from data attributes on <body>; no inline script.
(function () {
  "use strict";
  const body = document.body;
  const minutes = parseInt(body.dataset.idleTimeoutMinutes || "", 10);
  if (!minutes || !body.dataset.keepaliveUrl) return;
  const warnSeconds = parseInt(body.dataset.idleWarningSeconds || "60", 10);
  const dialog = document.getElementById("idle-dialog");
  const countdown = dialog ? dialog.querySelector("[data-idle-countdown]") : null;
  let warnTimer = null;
  let tickTimer = null;
  let deadline = 0;

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function signedOut() {
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(body.dataset.loginUrl + "?next=" + next);
  }

  function closeDialog() {
    if (dialog && dialog.open) dialog.close();
    window.clearInterval(tickTimer);
  }

  function arm(secondsLeft) {
    window.clearTimeout(warnTimer);
    closeDialog();
    deadline = Date.now() + secondsLeft * 1000;
    warnTimer = window.setTimeout(check, Math.max(0, secondsLeft - warnSeconds) * 1000);
  }

  // Another tab may have kept the sign-in alive: ask the server before warning.
  function check() {
    fetch(body.dataset.sessionStatusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { expired: true }; })
      .then(function (data) {
        if (data.expired) return signedOut(); // the server has ended the sign-in
        const left = data.seconds_left || 0;
        if (left <= 0) return window.setTimeout(check, 1000);
        if (left > warnSeconds + 5) return arm(left);
        warn(left);
      })
      .catch(function () {
        const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        if (left <= 0) return signedOut(); // cannot ask the server: clear the screen anyway
        warn(left);
      });
  }

  function warn(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    if (dialog && !dialog.open) dialog.showModal();
    tick();
    tickTimer = window.setInterval(tick, 1000);
  }

  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (countdown) countdown.textContent = String(left);
    if (left <= 0) {
      // Let the server decide: another tab may have kept the sign-in alive.
      window.clearInterval(tickTimer);
      check();
    }
  }

  function stay() {
    fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
      .then(function (data) { arm(data.seconds_left || minutes * 60); })
      .catch(signedOut);
  }

  if (dialog) {
    const button = dialog.querySelector("[data-idle-stay]");
    if (button) button.addEventListener("click", stay);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); stay(); });
  }
  // Requests that count as activity on the server restart the clock here too.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const verb = ((event.detail && event.detail.requestConfig && event.detail.requestConfig.verb) || "get").toLowerCase();
    if (verb !== "get") arm(minutes * 60);
  });
  arm(minutes * 60);
})();
