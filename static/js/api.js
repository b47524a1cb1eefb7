// Pages act through the same /api/v1/ endpoints as any client. Two declarative hooks, no framework:
//
//   <form data-api="/api/v1/requests/" data-method="POST" data-then="/requests/">  — submits the fields as JSON
//     (with data-as-list="items": as the one item of a list, {"items": [{…the fields…}]})
//   <button data-api="/api/v1/requests/7/accept/" data-method="POST" data-confirm="…"> — one action
//
// Field errors from a 400 appear next to the input ([data-error-for=name]); other errors (403, 404, 409) in the
// form's or the page's [role=alert] box. After success: go to data-then, or reload. In data-then, "{name}" is the
// answer's field of that name, or else the submitted form's ("/rounds/{id}/", "/signup/sent/#{email}").
// The page that comes next does not start with focus at the top: it says what was done (data-done, in the page's
// [data-page-status] region, role=status) and puts focus on the result: data-focus ("#done-{id}", filled as
// data-then is: the new item), else the control the person used if the page still shows it, else the message.
// An element with data-from-fragment="email" shows the address's #fragment as text when it is an email address
// (anything else, say a crafted message, is not shown): a value the page may show but the server need not see
// (a fragment is never sent, so the address stays out of access logs).
(function () {
  "use strict";

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function call(method, url, body) {
    const multipart = body instanceof FormData;
    const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    if (!multipart) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: body === undefined || multipart ? body : JSON.stringify(body),
    });
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch (error) {
        data = null;
      }
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  function messageOf(result) {
    if (result.data && typeof result.data.detail === "string") return result.data.detail;
    if (result.status === 403) return "You are not allowed to do this.";
    if (result.status === 404) return "This no longer exists, or you cannot see it.";
    if (result.status >= 500) return "Something went wrong on our side. Please try again in a moment.";
    return "That did not work. Please check and try again.";
  }

  function flatten(errors, prefix) {
    // {"profile": {"capacity": ["…"]}} → [["capacity", ["…"]]]; lists of strings stay as they are.
    const out = [];
    Object.entries(errors || {}).forEach(function ([field, value]) {
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) out.push([field, value]);
      else if (value && typeof value === "object") out.push(...flatten(value, field));
      else out.push([prefix || field, [String(value)]]);
    });
    return out;
  }

  function clearErrors(scope) {
    scope.querySelectorAll("[data-error-for]").forEach(function (el) {
      el.textContent = "";
      el.hidden = true;
    });
    scope.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const alert = alertBox(scope);
    if (alert) {
      alert.textContent = "";
      alert.hidden = true;
    }
  }

  function alertBox(scope) {
    return scope.querySelector("[data-alert]") || document.querySelector("[data-page-alert]");
  }

  function showAlert(scope, text) {
    const alert = alertBox(scope);
    if (alert) {
      alert.textContent = text;
      alert.hidden = false;
      alert.focus();
    }
  }

  function showErrors(form, result) {
    if (result.status !== 400 || !result.data || typeof result.data !== "object") {
      showAlert(form, messageOf(result));
      return;
    }
    const general = [];
    flatten(result.data).forEach(function ([field, messages]) {
      const slot = form.querySelector('[data-error-for="' + field + '"]');
      const input = form.querySelector('[name="' + field + '"]');
      if (slot && slot.dataset.errorList !== undefined) {
        // Many messages (an import's bad lines): one list item each.
        slot.replaceChildren(...messages.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
        slot.hidden = false;
      } else if (slot) {
        slot.textContent = messages.join(" ");
        slot.hidden = false;
        if (input) input.setAttribute("aria-invalid", "true");
      } else {
        general.push(messages.join(" "));
      }
    });
    if (general.length) showAlert(form, general.join(" "));
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  }

  function valuesOf(form) {
    // An edit (PATCH) sends emptied fields too, so that "blank" is refused in words rather than ignored.
    const keepEmpty = (form.dataset.method || "").toUpperCase() === "PATCH";
    const flat = {};
    const body = {};
    Array.from(form.elements).forEach(function (el) {
      if (el.dataset.group) {
        // Fields of one nested object ({"weights": {"skills": 1, …}}) carry data-group="weights".
        const value = {};
        readField(el, value, keepEmpty);
        body[el.dataset.group] = Object.assign(body[el.dataset.group] || {}, value);
      } else {
        readField(el, flat, keepEmpty);
      }
    });
    return Object.assign(flat, body);
  }

  function readField(el, body, keepEmpty) {
    if (!el.name || el.disabled || el.type === "submit" || el.name === "csrfmiddlewaretoken") return;
    if (el.type === "radio") {
      if (el.checked) body[el.name] = el.value;
      return;
    }
    if (el.dataset.list !== undefined) {
      body[el.name] = body[el.name] || [];
      if ((el.type !== "checkbox" || el.checked) && el.value !== "") {
        const items = el.type === "checkbox" ? [el.value] : el.value.split(",").map((v) => v.trim());
        items.filter(Boolean).forEach((v) => body[el.name].push(el.dataset.list === "int" ? Number(v) : v));
      }
    } else if (el.type === "checkbox") {
      body[el.name] = el.checked;
    } else if (el.dataset.type === "ref") {
      // "Ada Lovelace (id 12)" from a datalist: the id is what the API wants.
      const match = el.value.match(/\(id (\d+)\)\s*$/);
      body[el.name] = match ? Number(match[1]) : el.value;
    } else if (el.type === "number" || el.dataset.type === "number") {
      if (el.value !== "") body[el.name] = Number(el.value);
      else if (el.dataset.nullable !== undefined) body[el.name] = null;
    } else if (el.value !== "") {
      body[el.name] = el.value;
    } else if (el.dataset.nullable !== undefined) {
      body[el.name] = null;
    } else if (keepEmpty || el.dataset.keepEmpty !== undefined) {
      body[el.name] = el.value;
    }
  }

  function fill(template, answer, sent) {
    return template.replace(/\{(\w+)\}/g, function (placeholder, name) {
      const source = answer && answer[name] !== undefined ? answer : sent || {};
      return source[name] === undefined ? "" : encodeURIComponent(source[name]);
    });
  }

  const AFTER_ACTION = "mentorship-platform:after-action";

  function after(element, result, sent, used) {
    const report = element.querySelector && element.querySelector("[data-report]");
    if (report && result.data) {
      // Stay on the page and say what was done.
      report.textContent = Object.entries(result.data)
        .map(([key, value]) => key.replaceAll("_", " ") + ": " + value)
        .join(" · ");
      report.hidden = false;
      focusOn(report);
      return;
    }
    const then = element.dataset.then;
    const next = then ? new URL(fill(then, result.data, sent), window.location.href) : null;
    const note = {
      path: next ? next.pathname : window.location.pathname,
      message: element.dataset.done || (then ? "" : "Saved."),
      // The control used is looked for again only on the same page: another page's ids mean other things.
      focus: element.dataset.focus
        ? fill(element.dataset.focus, result.data, sent)
        : !next && used && used.id ? "#" + CSS.escape(used.id) : null,
    };
    try {
      window.sessionStorage.setItem(AFTER_ACTION, JSON.stringify(note));
    } catch (error) {
      // No storage (a private mode that refuses it): the page still changes, focus starts at the top.
    }
    if (next) window.location.assign(next.href);
    else window.location.reload();
  }

  function shown(element) {
    return element && !element.hidden && element.getClientRects().length > 0;
  }

  function focusOn(element) {
    // A heading or a message is not focusable by itself; tabindex=-1 makes it a target without adding a tab stop.
    if (!element.matches("a[href], button, input, select, textarea, summary, [tabindex]")) element.tabIndex = -1;
    element.focus();
  }

  function restoreAfterAction() {
    let note = null;
    try {
      note = JSON.parse(window.sessionStorage.getItem(AFTER_ACTION));
      window.sessionStorage.removeItem(AFTER_ACTION);
    } catch (error) {
      note = null;
    }
    if (!note || note.path !== window.location.pathname) return;
    const region = document.querySelector("[data-page-status]");
    let target = null;
    try {
      target = note.focus ? document.querySelector(note.focus) : null;
    } catch (error) {
      target = null; // not a selector
    }
    if (!shown(target)) {
      // The result is gone (an accepted request left the list): the message is the result, or else the one the
      // next page shows ("Saved.").
      if (region && note.message) {
        region.textContent = note.message;
        region.hidden = false;
        target = region;
      } else {
        target = Array.from(document.querySelectorAll('main [role="status"]')).find(
          (el) => shown(el) && el.textContent.trim()
        );
      }
      if (target) focusOn(target);
      return;
    }
    focusOn(target);
    if (region && note.message) {
      // Shown first, filled a moment later: a live region announces a change, not what it held when it appeared.
      region.hidden = false;
      window.setTimeout(function () {
        region.textContent = note.message;
      }, 100);
    }
  }
  restoreAfterAction();

  document.addEventListener("submit", async function (event) {
    const form = event.target;
    if (!form.matches("form[data-api]")) return;
    event.preventDefault();
    const used = document.activeElement; // before the button is disabled, which takes focus away from it
    clearErrors(form);
    const submit = form.querySelector('[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      let body = form.dataset.multipart !== undefined ? new FormData(form) : valuesOf(form);
      // data-as-list="ratings": the form is one item of a list the API takes ({"ratings": [{…}]}).
      if (form.dataset.asList) body = { [form.dataset.asList]: [body] };
      const result = await call(form.dataset.method || "POST", form.dataset.api, body);
      if (result.ok) after(form, result, body instanceof FormData ? null : body, used);
      else showErrors(form, result);
    } catch (error) {
      showAlert(form, "The server could not be reached. Check your connection and try again.");
    } finally {
      if (submit) submit.disabled = false;
    }
  });

  document.addEventListener("click", async function (event) {
    const button = event.target.closest("button[data-api]");
    if (!button || button.form) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const scope = button.closest("[data-api-scope]") || document;
    clearErrors(scope);
    button.disabled = true;
    try {
      const result = await call(button.dataset.method || "POST", button.dataset.api);
      if (result.ok) after(button, result, null, button);
      else showAlert(scope, messageOf(result));
    } catch (error) {
      showAlert(scope, "The server could not be reached. Check your connection and try again.");
    } finally {
      button.disabled = false;
    }
  });

  // A checkbox marked data-autosubmit saves its form as soon as it is ticked (a milestone). Only a checkbox: a select
  // changes with every arrow key, so a select is saved by its form's button, never on change.
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (input.matches('input[type="checkbox"][data-autosubmit]') && input.form) input.form.requestSubmit();
  });

  // An element with data-poll="/api/v1/…" re-reads that resource every second while its `status` is one of
  // data-poll-while, shows its `progress` on the progressbar inside, and reloads the page when it is done.
  document.querySelectorAll("[data-poll]").forEach(function (box) {
    const waiting = (box.dataset.pollWhile || "").split(",");
    const bar = box.querySelector("progress");
    const timer = setInterval(async function () {
      const result = await call("GET", box.dataset.poll);
      if (!result.ok || !result.data) return;
      const percent = Math.round((result.data.progress || 0) * 100);
      if (bar) {
        bar.setAttribute("value", String(percent));
        bar.textContent = percent + "%";
      }
      if (!waiting.includes(result.data.status)) {
        clearInterval(timer);
        window.location.reload();
      }
    }, 1000);
  });

  const fragment = (function () {
    try {
      return decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return "";
    }
  })();
  if (/^[^\s@<>]{1,64}@[^\s@<>]{1,189}$/.test(fragment)) {
    document.querySelectorAll('[data-from-fragment="email"]').forEach(function (element) {
      element.textContent = fragment;
    });
  }

  window.mentorshipApi = { call: call };
})();
