// Reparenting letter: "Insert" beside a scaffold opening puts it into the letter at
// the cursor (or at the end), ready to be continued. The textarea's input event lets
// the form's autosave (autosave.js) keep it like anything typed. Without JavaScript
// the buttons stay hidden and the scaffolds are read as before.
(function () {
  "use strict";
  const letter = document.getElementById("id_letter");
  const buttons = document.querySelectorAll("[data-insert-scaffold]");
  if (!letter || !buttons.length) return;
  let cursor = null; // where the cursor was when the letter last had focus

  letter.addEventListener("blur", function () {
    cursor = [letter.selectionStart, letter.selectionEnd];
  });

  function insert(text) {
    const value = letter.value;
    const [start, end] = cursor || [value.length, value.length];
    const before = value.slice(0, start);
    const after = value.slice(end);
    // An opening starts its own paragraph unless the cursor already stands on an empty line.
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const piece = lead + text.replace(/…$/, "") + " ";
    letter.value = before + piece + after;
    const caret = before.length + piece.length;
    letter.focus();
    letter.setSelectionRange(caret, caret);
    cursor = [caret, caret];
    letter.dispatchEvent(new Event("input", { bubbles: true }));
  }

  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      insert(button.dataset.insertScaffold);
    });
  });
})();
