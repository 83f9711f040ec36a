// The moderators' desk: the queue's actions in place, reply and quick edit under the row,
// Undo after Spam or Trash, and WordPress's keyboard shortcuts. Without this script every
// action is a plain form post to the same addresses; with it, they answer in JSON.
"use strict";

// Loaded in the page's head (ModelAdmin.Media): starts once the queue is there.
function startDesk() {
  // The admin's JavaScript catalog translates; a page without it (no bulk actions) gets English.
  const gettext = window.gettext || ((text) => text);
  const interpolate =
    window.interpolate || ((format, values) => format.replace(/%\((\w+)\)s/g, (match, name) => values[name]));
  const queue = document.querySelector("table.comment-queue");
  if (!queue) {
    return;
  }
  const form = document.getElementById("changelist-form");
  const status = document.getElementById("desk-status");
  const columns = queue.querySelector("thead tr").children.length;
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const next = queue.dataset.next;
  let current = null;

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  async function send(url, fields, method) {
    const options = {
      method: method || "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      credentials: "same-origin",
    };
    if (options.method === "POST") {
      const body = new FormData();
      Object.entries({ ...fields, next: next }).forEach(([name, value]) => body.append(name, value));
      options.body = body;
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      return { ok: false, message: gettext("The site did not answer; nothing was changed.") };
    }
    const type = response.headers.get("Content-Type") || "";
    const answer = type.includes("application/json") ? await response.json() : {};
    answer.ok = response.ok && answer.level !== "error";
    if (!answer.message && !response.ok) {
      answer.message = response.status === 403 ? gettext("You may not do that.") : gettext("That did not work.");
    }
    return answer;
  }

  function showCounts(counts) {
    if (!counts) {
      return;
    }
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    document.querySelectorAll("[data-status-count]").forEach((link) => {
      const count = link.dataset.statusCount === "all" ? total : counts[link.dataset.statusCount];
      if (count !== undefined) {
        link.textContent = `${link.dataset.label} (${count})`;
      }
    });
    document.querySelectorAll("[data-pending-count]").forEach((badge) => {
      badge.querySelector(".pending-badge-count").textContent = counts.pending;
      badge.hidden = counts.pending === 0;
    });
  }

  // Put the row the server drew in place of ``row``, keeping its checkbox (and its selection).
  function redraw(row, html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.querySelector("tr");
    row.className = fresh.className;
    row.dataset.status = fresh.dataset.status;
    Array.from(row.children).forEach((cell) => {
      if (!cell.classList.contains("action-checkbox")) {
        cell.remove();
      }
    });
    Array.from(fresh.children).forEach((cell) => {
      if (!cell.classList.contains("action-checkbox")) {
        row.appendChild(cell);
      }
    });
    if (row === current) {
      row.classList.add("current");
    }
  }

  function rowOf(element) {
    return element.closest("tr.comment-row");
  }

  function moderateUrl(row) {
    return row.dataset.moderateUrl;
  }

  function makeCurrent(row) {
    if (current) {
      current.classList.remove("current");
    }
    current = row;
    if (row) {
      row.classList.add("current");
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function cell(content) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = columns;
    td.appendChild(content);
    tr.appendChild(td);
    return tr;
  }

  function offerUndo(row, message) {
    const line = document.createElement("p");
    const text = document.createElement("span");
    text.textContent = `${message} `;
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "row-action row-action-undo";
    undo.textContent = gettext("Undo");
    line.append(text, undo);
    const undoRow = cell(line);
    undoRow.className = "undo-row";
    undoRow.tabIndex = -1;
    undoRow.dataset.pk = row.dataset.pk;
    row.hidden = true;
    row.after(undoRow);
    if (current === row) {
      makeCurrent(undoRow);
    }
    undo.addEventListener("click", async () => {
      undo.disabled = true;
      const answer = await send(moderateUrl(row), { do: "undo" });
      say(answer.message, !answer.ok);
      showCounts(answer.counts);
      if (answer.row) {
        redraw(row, answer.row);
        row.hidden = false;
        undoRow.remove();
        if (current === undoRow || current === null) {
          makeCurrent(row);
        }
      } else {
        undo.disabled = false;
      }
    });
  }

  async function moderate(row, button) {
    button.disabled = true;
    // The button is redrawn: a keyboard user's focus goes back to its row, not to the page.
    const focused = row.contains(document.activeElement);
    const answer = await send(moderateUrl(row), { do: button.value });
    say(answer.message, !answer.ok);
    showCounts(answer.counts);
    if (!answer.row) {
      // Deleted for good (or gone meanwhile): the row goes too.
      if (answer.ok) {
        row.remove();
      }
      return;
    }
    redraw(row, answer.row);
    if (focused) {
      makeCurrent(row);
    }
    if (answer.undo) {
      offerUndo(row, answer.message);
    }
  }

  function closeEditor(row) {
    const open = row.nextElementSibling;
    if (open && open.classList.contains("editor-row")) {
      open.remove();
    }
  }

  function field(kind, pk, name, label, value, multiline) {
    const wrapper = document.createElement("div");
    const labelElement = document.createElement("label");
    const input = document.createElement(multiline ? "textarea" : "input");
    input.id = `${kind}-${name}-${pk}`;
    input.dataset.field = name;
    input.value = value || "";
    if (multiline) {
      input.rows = 5;
    } else {
      input.type = name === "author_email" ? "email" : name === "author_url" ? "url" : "text";
    }
    labelElement.htmlFor = input.id;
    labelElement.textContent = label;
    wrapper.append(labelElement, input);
    return wrapper;
  }

  // The fields carry no ``name``: they are inside the change list's form, which must not send them.
  async function openEditor(row, link) {
    closeEditor(row);
    const isReply = link.dataset.action === "reply";
    const pk = row.dataset.pk;
    const author = row.querySelector(".comment-author-name").textContent;
    const editor = document.createElement("div");
    editor.className = "desk-editor";
    editor.setAttribute("role", "group");
    editor.setAttribute(
      "aria-label",
      isReply
        ? interpolate(gettext("Reply to comment #%(pk)s by %(author)s"), { pk: pk, author: author }, true)
        : interpolate(gettext("Quick edit comment #%(pk)s"), { pk: pk }, true)
    );
    if (isReply) {
      editor.append(field("reply", pk, "body", gettext("Your reply"), "", true));
    } else {
      const values = await send(link.href, {}, "GET");
      if (!values.ok) {
        // Never an editor of empty fields: saving it would blank the comment's author.
        say(values.message, true);
        return;
      }
      editor.append(
        field("quick", pk, "author_name", gettext("Name"), values.author_name),
        field("quick", pk, "author_email", gettext("E-mail"), values.author_email),
        field("quick", pk, "author_url", gettext("Website"), values.author_url),
        field("quick", pk, "body", gettext("Comment"), values.body, true)
      );
    }
    const error = document.createElement("p");
    error.className = "desk-editor-error";
    error.setAttribute("role", "alert");
    const buttons = document.createElement("div");
    buttons.className = "desk-editor-buttons";
    const submit = document.createElement("button");
    submit.type = "button";
    submit.className = "button default";
    submit.textContent = isReply ? gettext("Reply") : gettext("Save");
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button";
    cancel.textContent = gettext("Cancel");
    buttons.append(submit, cancel);
    editor.append(error, buttons);
    const editorRow = cell(editor);
    editorRow.className = "editor-row";
    row.after(editorRow);
    editor.querySelector("textarea, input").focus();

    function close() {
      editorRow.remove();
      makeCurrent(row);
    }
    async function save() {
      submit.disabled = true;
      const fields = {};
      editor.querySelectorAll("[data-field]").forEach((input) => {
        fields[input.dataset.field] = input.value;
      });
      const answer = await send(link.href, fields);
      submit.disabled = false;
      if (!answer.ok) {
        error.textContent = answer.message;
        return;
      }
      say(answer.message);
      showCounts(answer.counts);
      if (answer.row) {
        redraw(row, answer.row);
      }
      close();
    }
    submit.addEventListener("click", save);
    cancel.addEventListener("click", close);
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey || event.target.tagName === "INPUT")) {
        // Enter in a one-line field would submit the change list's form: save this instead.
        event.preventDefault();
        save();
      }
    });
  }

  queue.addEventListener("click", (event) => {
    const action = event.target.closest(".row-action");
    const row = rowOf(event.target);
    if (row && row !== current) {
      if (current) {
        current.classList.remove("current");
      }
      current = row;
      row.classList.add("current");
    }
    if (!action || !row) {
      return;
    }
    if (action.tagName === "BUTTON") {
      event.preventDefault();
      moderate(row, action);
    } else if (action.dataset.action === "reply" || action.dataset.action === "quick-edit") {
      event.preventDefault();
      openEditor(row, action);
    }
  });

  function isTyping(target) {
    return target.closest(
      "textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit])"
    );
  }

  function move(step) {
    const rows = Array.from(queue.querySelectorAll("tr.comment-row:not([hidden]), tr.undo-row"));
    if (!rows.length) {
      return;
    }
    const at = rows.indexOf(current);
    const target = at < 0 ? 0 : Math.min(Math.max(at + step, 0), rows.length - 1);
    makeCurrent(rows[target]);
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
      return;
    }
    if (!current || !current.isConnected || !"austzrqe".includes(key) || key.length !== 1) {
      return;
    }
    const target = current.classList.contains("undo-row")
      ? key === "z" && current.querySelector(".row-action-undo")
      : current.querySelector(`.row-action[data-key="${key}"]`);
    if (target && !target.disabled) {
      event.preventDefault();
      target.click();
    }
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startDesk);
} else {
  startDesk();
}
