// Surveys: the question builder of a program's survey page and the answer form of a participant. Both post a body
// api.js cannot build from flat fields (a list of questions, a list of answers), through its `mentorshipApi.call`.
//
//   <form data-survey-builder data-survey-api="/api/v1/programs/x/surveys/" data-then="…{id}">
//   <form data-survey-answers data-survey-api="/api/v1/surveys/7/responses/" data-then="…" data-done="…">
//
// Errors of a 400 land in [data-error-for="<key>"] (keys as the API gives them: "questions.0.text",
// "answers.12"); anything else in the form's [data-alert].
(function () {
  "use strict";

  const AFTER_ACTION = "mentorship-platform:after-action";

  function flatten(errors, prefix) {
    // {"questions": {"0": {"text": ["…"]}}} → [["questions.0.text", ["…"]]]
    const out = [];
    Object.entries(errors || {}).forEach(function ([key, value]) {
      const name = prefix ? prefix + "." + key : key;
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) out.push([name, value]);
      else if (Array.isArray(value)) value.forEach((v, i) => out.push(...flatten(v, name + "." + i)));
      else if (value && typeof value === "object") out.push(...flatten(value, name));
      else out.push([name, [String(value)]]);
    });
    return out;
  }

  function clear(form) {
    form.querySelectorAll("[data-error-for], [data-alert]").forEach(function (el) {
      el.textContent = "";
      el.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }

  function alertWith(form, text) {
    const box = form.querySelector("[data-alert]");
    box.textContent = text;
    box.hidden = false;
    box.focus();
  }

  function showErrors(form, result) {
    if (result.status !== 400 || !result.data || typeof result.data !== "object") {
      const detail = result.data && typeof result.data.detail === "string" ? result.data.detail : "";
      alertWith(form, detail || "That did not work. Please check and try again.");
      return;
    }
    const general = [];
    let first = null;
    flatten(result.data).forEach(function ([key, messages]) {
      const slot = form.querySelector('[data-error-for="' + CSS.escape(key) + '"]');
      if (!slot) {
        general.push(messages.join(" "));
        return;
      }
      slot.textContent = messages.join(" ");
      slot.hidden = false;
      const scope = slot.closest("fieldset, .field") || slot.parentElement;
      const input = scope.querySelector("input, select, textarea");
      if (input) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
    });
    if (general.length) alertWith(form, general.join(" "));
    else if (first) first.focus();
  }

  async function send(form, body) {
    clear(form);
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      const result = await window.mentorshipApi.call("POST", form.dataset.surveyApi, body);
      if (!result.ok) {
        showErrors(form, result);
        return;
      }
      const then = (form.dataset.then || window.location.pathname).replace("{id}", (result.data && result.data.id) || "");
      const next = new URL(then, window.location.href);
      try {
        window.sessionStorage.setItem(
          AFTER_ACTION,
          JSON.stringify({
            path: next.pathname,
            message: form.dataset.done || "Saved.",
            focus: (form.dataset.focus || "").replace("{id}", (result.data && result.data.id) || "") || null,
          })
        );
      } catch (error) {
        // No storage: the next page still shows, focus starts at the top.
      }
      window.location.assign(next.href);
    } catch (error) {
      alertWith(form, "The server could not be reached. Check your connection and try again.");
    } finally {
      submit.disabled = false;
    }
  }

  // --- The answer form ---------------------------------------------------------------------------------
  document.querySelectorAll("form[data-survey-answers]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const answers = [];
      form.querySelectorAll("[data-question]").forEach(function (box) {
        const id = Number(box.dataset.question);
        const checked = box.querySelector("input[type=radio]:checked");
        const text = box.querySelector("textarea");
        let value = null;
        if (checked) value = box.dataset.kind === "likert" ? Number(checked.value) : checked.value;
        else if (text && text.value.trim()) value = text.value;
        answers.push({ question: id, value: value });
      });
      send(form, { answers: answers });
    });
  });

  // --- The question builder ----------------------------------------------------------------------------
  document.querySelectorAll("form[data-survey-builder]").forEach(function (form) {
    const list = form.querySelector("[data-questions]");
    const template = form.querySelector("template[data-question-template]");

    function renumber() {
      Array.from(list.children).forEach(function (item, index) {
        item.querySelectorAll("[data-number]").forEach((el) => (el.textContent = String(index + 1)));
        item.querySelectorAll("[data-name]").forEach(function (input) {
          input.id = "question-" + index + "-" + input.dataset.name;
        });
        item.querySelectorAll("[data-for]").forEach(function (label) {
          label.htmlFor = "question-" + index + "-" + label.dataset.for;
        });
        item.querySelectorAll("[data-error]").forEach(function (slot) {
          slot.dataset.errorFor = "questions." + index + "." + slot.dataset.error;
        });
      });
    }

    function add() {
      list.appendChild(template.content.cloneNode(true));
      renumber();
      return list.lastElementChild;
    }

    form.querySelector("[data-add-question]").addEventListener("click", function () {
      add().querySelector("[data-name=text]").focus();
    });
    list.addEventListener("click", function (event) {
      const remove = event.target.closest("[data-remove-question]");
      if (!remove) return;
      remove.closest("li").remove();
      renumber();
      form.querySelector("[data-add-question]").focus();
    });
    add();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const value = (name) => form.elements[name].value;
      const body = { title: value("title"), audience: value("audience"), trigger: value("trigger"), questions: [] };
      if (value("trigger_date")) body.trigger_date = value("trigger_date");
      if (value("trigger_days")) body.trigger_days = Number(value("trigger_days"));
      if (value("min_responses")) body.min_responses = Number(value("min_responses"));
      Array.from(list.children).forEach(function (item) {
        const field = (name) => item.querySelector('[data-name="' + name + '"]');
        const question = { kind: field("kind").value, text: field("text").value, required: field("required").checked };
        const choices = field("choices").value.split("\n").map((c) => c.trim()).filter(Boolean);
        if (question.kind === "choice") question.choices = choices;
        body.questions.push(question);
      });
      send(form, body);
    });
  });
})();
