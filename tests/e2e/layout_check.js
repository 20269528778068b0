// Run by tests/e2e/browser.py:screens(). Reports sideways scrolling and pairs of
// visible interactive controls whose boxes overlap (a control nested in
// another is left to axe's nested-interactive rule).
() => {
  const selector = [
    "a[href]", "button", "input:not([type=hidden])", "select", "textarea",
    "summary", "[role=button]", "[tabindex]:not([tabindex='-1'])",
  ].join(",");
  const visible = (el) => {
    // Controls inside a closed <details> keep stale boxes but are not drawn:
    // checkVisibility() knows (content-visibility, display, visibility, opacity).
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const box = el.getBoundingClientRect();
    return box.width >= 2 && box.height >= 2; // else visually hidden
  };
  const describe = (el) => {
    let text = (el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
    text = text.replace(/\s+/g, " ").slice(0, 40);
    const id = el.id ? `#${el.id}` : "";
    return `<${el.tagName.toLowerCase()}${id}>${text ? ` "${text}"` : ""}`;
  };
  const controls = [...document.querySelectorAll(selector)].filter(visible);
  const boxes = controls.map((el) => el.getBoundingClientRect());
  const overlaps = [];
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      if (controls[i].contains(controls[j]) || controls[j].contains(controls[i])) continue;
      const a = boxes[i];
      const b = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) overlaps.push(`${describe(controls[i])} overlaps ${describe(controls[j])}`);
    }
  }
  const root = document.documentElement;
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, overlaps };
}
