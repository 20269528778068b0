// Caseload bulk actions: "select all on this page", and only the fields the chosen action needs.
// Without JavaScript every field stays visible and the server validates the choice.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all]").forEach((master) => {
    const form = master.closest("form");
    const boxes = () => form.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
    master.addEventListener("change", () => {
      boxes().forEach((box) => {
        box.checked = master.checked;
      });
    });
  });
  document.querySelectorAll("[data-bulk-form]").forEach((form) => {
    const action = form.querySelector("select[name=action]");
    const sync = () => {
      form.querySelectorAll("[data-bulk-for]").forEach((field) => {
        field.hidden = field.dataset.bulkFor !== action.value;
      });
    };
    action.addEventListener("change", sync);
    sync();
  });
});
