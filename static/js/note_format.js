// Session note form: show the sections of the chosen note format (DAP, SOAP,
// BIRP). Hidden sections keep their text and are still submitted, so
// switching format never loses what was written. Without JS every section shows.
(function () {
  "use strict";
  const form = document.querySelector("form.session-form");
  if (!form) return;
  const radios = form.querySelectorAll('input[name="note_format"]');
  function show() {
    const chosen = form.querySelector('input[name="note_format"]:checked');
    if (!chosen) return;
    form.querySelectorAll("[data-formats]").forEach(function (section) {
      section.hidden = section.dataset.formats.split(" ").indexOf(chosen.value) === -1;
    });
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
