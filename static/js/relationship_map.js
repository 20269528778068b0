// Relationship-map editor: drag figures, draw ties, edit ratings; every change is
// saved at once as one JSON operation to the map's save URL. The server answers
// with the map freshly rendered by its one SVG renderer and the updated tables,
// so what the therapist sees is always what was saved. The tables and forms
// below the map do everything here without a mouse.
(function () {
  "use strict";
  const editor = document.getElementById("map-editor");
  if (!editor) return;
  const saveUrl = editor.dataset.saveUrl;
  const canvas = document.getElementById("map-canvas");
  const tables = document.getElementById("map-tables");
  const status = editor.querySelector("[data-map-status]");
  const tiePanel = document.getElementById("tie-panel");
  const figurePanel = document.getElementById("figure-panel");
  const connectButton = editor.querySelector('[data-map-action="connect"]');
  let data = JSON.parse(document.getElementById("map-data").textContent);
  // Where a figure's centre may go so the whole figure stays inside the drawing
  // (the server clamps the same way: exercises/models/maps.py clamp_position).
  const bounds = JSON.parse(editor.dataset.bounds);
  let connecting = false;
  let connectFrom = null;
  let selectedFigure = null;
  let selectedTie = null;

  document.querySelectorAll(".js-only").forEach(function (el) {
    el.classList.add("js-ready");
  });

  function csrfToken() {
    // base.html puts the token in data-hx-headers on <body>; fall back to any form's token.
    try {
      const headers = JSON.parse(document.body.getAttribute("data-hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) {
      /* fall through */
    }
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text) {
    status.textContent = text;
  }

  async function send(op) {
    say("Saving…");
    try {
      const response = await fetch(saveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify(op),
      });
      if (response.type === "opaqueredirect" || response.status === 403) {
        say("Not saved: you may have been signed out. Sign in again in another tab.");
        redraw();
        return null;
      }
      const body = await response.json().catch(function () {
        return {};
      });
      if (!response.ok) {
        say("Not saved: " + (body.error || "please check the values."));
        redraw();
        return null;
      }
      data = body.data;
      canvas.innerHTML = body.svg;
      tables.innerHTML = body.tables;
      bindCanvas();
      say("Saved " + new Date().toTimeString().slice(0, 5));
      return body;
    } catch (error) {
      say("Not saved (connection lost). Please try again.");
      redraw();
      return null;
    }
  }

  function redraw() {
    // Put a dragged figure back where the server last had it.
    canvas.querySelectorAll(".map-figure").forEach(function (g) {
      const fig = figureById(g.dataset.figureId);
      if (fig) g.setAttribute("transform", "translate(" + fig.x + " " + fig.y + ")");
    });
  }

  function figureById(id) {
    return data.figures.find(function (f) {
      return f.id === id;
    });
  }

  function tieById(id) {
    return data.ties.find(function (t) {
      return t.id === id;
    });
  }

  function svgPoint(svg, event) {
    const pt = svg.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }

  function markSelection() {
    canvas.querySelectorAll(".selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    const id = connectFrom || selectedFigure;
    if (id) {
      const g = canvas.querySelector('[data-figure-id="' + id + '"]');
      if (g) g.classList.add("selected");
    }
    if (selectedTie) {
      const t = canvas.querySelector('[data-tie-id="' + selectedTie + '"]');
      if (t) t.classList.add("selected");
    }
  }

  function openTiePanel(id) {
    const tie = tieById(id);
    if (!tie) return;
    selectedTie = id;
    selectedFigure = null;
    figurePanel.hidden = true;
    tiePanel.hidden = false;
    const from = figureById(tie.source);
    const to = figureById(tie.target);
    tiePanel.querySelector("h2").textContent =
      "Tie: " + (from ? from.label : "?") + " – " + (to ? to.label : "?");
    ["kind", "direction", "note", "closeness", "trust", "tension"].forEach(function (name) {
      tiePanel.elements[name].value = tie[name];
    });
    showOutputs();
    markSelection();
    tiePanel.elements.kind.focus();
  }

  function openFigurePanel(id) {
    const fig = figureById(id);
    if (!fig) return;
    selectedFigure = id;
    selectedTie = null;
    tiePanel.hidden = true;
    figurePanel.hidden = false;
    const isClient = fig.role === "client";
    figurePanel.elements.label.value = fig.label;
    figurePanel.elements.deceased.checked = !!fig.deceased;
    const role = figurePanel.elements.role;
    role.disabled = isClient;
    if (!isClient) role.value = fig.role;
    figurePanel.querySelector('[data-map-action="delete-figure"]').hidden = isClient;
    markSelection();
    figurePanel.elements.label.focus();
  }

  function closePanels() {
    tiePanel.hidden = true;
    figurePanel.hidden = true;
    selectedFigure = null;
    selectedTie = null;
    markSelection();
  }

  function showOutputs() {
    ["closeness", "trust", "tension"].forEach(function (name) {
      document.getElementById("tie-" + name + "-out").textContent = tiePanel.elements[name].value;
    });
  }

  async function figureClicked(id) {
    if (!connecting) {
      openFigurePanel(id);
      return;
    }
    if (!connectFrom) {
      connectFrom = id;
      markSelection();
      say("Now click the figure the tie goes to.");
      return;
    }
    if (connectFrom === id) {
      connectFrom = null;
      markSelection();
      say("Choose two different figures.");
      return;
    }
    const body = await send({ op: "add_tie", source: connectFrom, target: id });
    connectFrom = null;
    setConnecting(false);
    if (body && body.tie) openTiePanel(body.tie);
  }

  function setConnecting(on) {
    connecting = on;
    connectFrom = null;
    connectButton.setAttribute("aria-pressed", on ? "true" : "false");
    connectButton.classList.toggle("active", on);
    if (on) say("Click the figure the tie starts from.");
    markSelection();
  }

  function bindCanvas() {
    const svg = canvas.querySelector("svg");
    if (!svg) return;
    svg.querySelectorAll(".map-figure").forEach(function (g) {
      g.addEventListener("pointerdown", function (event) {
        event.preventDefault();
        const id = g.dataset.figureId;
        const fig = figureById(id);
        if (!fig) return;
        const start = svgPoint(svg, event);
        let moved = false;
        let x = fig.x;
        let y = fig.y;
        g.setPointerCapture(event.pointerId);
        function move(ev) {
          const p = svgPoint(svg, ev);
          if (!moved && Math.hypot(p.x - start.x, p.y - start.y) < 4) return;
          moved = true;
          x = Math.round(Math.min(Math.max(fig.x + p.x - start.x, bounds.minX), bounds.maxX));
          y = Math.round(Math.min(Math.max(fig.y + p.y - start.y, bounds.minY), bounds.maxY));
          g.setAttribute("transform", "translate(" + x + " " + y + ")");
        }
        function up() {
          g.removeEventListener("pointermove", move);
          g.removeEventListener("pointerup", up);
          g.removeEventListener("pointercancel", up);
          if (moved) {
            send({ op: "move_figure", figure: id, x: x, y: y });
          } else {
            figureClicked(id);
          }
        }
        g.addEventListener("pointermove", move);
        g.addEventListener("pointerup", up);
        g.addEventListener("pointercancel", up);
      });
    });
    svg.querySelectorAll(".map-tie").forEach(function (g) {
      g.addEventListener("click", function () {
        openTiePanel(g.dataset.tieId);
      });
    });
    markSelection();
  }

  editor.addEventListener("click", function (event) {
    const button = event.target.closest("[data-map-action]");
    if (!button) return;
    const action = button.dataset.mapAction;
    if (action === "add-figure") {
      const label = document.getElementById("editor-label");
      const role = document.getElementById("editor-role");
      if (!label.value.trim()) {
        say("Give the figure a label first.");
        label.focus();
        return;
      }
      // Without a position the server places the figure where there is room.
      send({
        op: "add_figure",
        role: role.value,
        label: label.value.trim(),
      }).then(function (body) {
        if (body) label.value = "";
      });
    } else if (action === "connect") {
      setConnecting(!connecting);
    } else if (action === "delete-tie" && selectedTie) {
      send({ op: "delete_tie", tie: selectedTie }).then(function (body) {
        if (body) closePanels();
      });
    } else if (action === "delete-figure" && selectedFigure) {
      send({ op: "delete_figure", figure: selectedFigure }).then(function (body) {
        if (body) closePanels();
      });
    } else if (action === "close-panel") {
      closePanels();
    }
  });

  tiePanel.addEventListener("input", showOutputs);
  tiePanel.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!selectedTie) return;
    const f = tiePanel.elements;
    const id = selectedTie;
    send({
      op: "update_tie",
      tie: id,
      kind: f.kind.value,
      direction: f.direction.value,
      note: f.note.value,
      closeness: Number(f.closeness.value),
      trust: Number(f.trust.value),
      tension: Number(f.tension.value),
    }).then(function (body) {
      if (body) openTiePanel(id);
    });
  });
  figurePanel.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!selectedFigure) return;
    const f = figurePanel.elements;
    const op = {
      op: "update_figure",
      figure: selectedFigure,
      label: f.label.value,
      deceased: f.deceased.checked,
    };
    if (!f.role.disabled) op.role = f.role.value;
    const id = selectedFigure;
    send(op).then(function (body) {
      if (body) openFigurePanel(id);
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (connecting || !tiePanel.hidden || !figurePanel.hidden)) {
      setConnecting(false);
      closePanels();
    }
  });

  bindCanvas();
})();
