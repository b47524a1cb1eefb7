// Search as you type for skills and industries: pages never list the whole taxonomy, they ask the API for the
// few terms that match what is typed. Without this script the input is a plain text field and still works.
//
//   <input id="skills" name="skills" data-list data-suggest="/api/v1/skills/"
//          data-suggest-none="No skill named “{q}” yet: saving suggests it.">
//
// becomes an editable combobox with a list popup (the WAI-ARIA pattern): typing shows up to eight matching terms;
// Down and Up move through them, Enter picks one, Escape closes the list; a click picks one too. In a
// comma-separated field (data-list) the item being typed is the one completed. How many terms match, or that none
// does (data-suggest-none, "{q}" standing for the text typed), is said in a status line under the field.
//
// Other lists use the same combobox with a kind of their own: window.mentorshipSuggest.enhance(input, kind), where
// `kind` may say how an item reads (text, render), what picking it does (picked), what typing again undoes
// (typed), and whether an empty field lists the best items at once (askEmpty). static/js/round-review.js does.
(function () {
  "use strict";

  const LIMIT = 8;
  const DELAY_MS = 150;

  // Taxonomy terms ({name, status}): the default kind.
  const TERMS = {
    askEmpty: false,
    text: (term) => term.name,
    render: function (option, term) {
      option.textContent = term.name;
      if (term.status === "suggested") {
        const mark = document.createElement("span");
        mark.className = "suggested-mark";
        mark.textContent = " · suggested, waiting for review";
        option.appendChild(mark);
      }
    },
    picked: function () {},
    typed: function () {},
  };

  function enhance(input, ownKind) {
    const kind = Object.assign({}, TERMS, ownKind || {});
    const url = input.dataset.suggest || kind.url;
    const listId = input.id + "-suggestions";
    const box = document.createElement("div");
    box.className = "combobox";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);

    const listbox = document.createElement("ul");
    listbox.id = listId;
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    // Not the field's own label: that one names the field alone, for whoever looks it up by its label.
    listbox.setAttribute("aria-label", "Matches");
    listbox.hidden = true;
    box.appendChild(listbox);

    const status = document.createElement("p");
    status.className = "help suggest-status";
    status.setAttribute("role", "status");
    box.after(status);

    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    const many = input.dataset.list !== undefined;
    let active = -1;
    let timer = null;
    let asked = 0;
    let shown = [];

    function items() {
      return input.value.split(",");
    }

    function typed() {
      return many ? items().pop().trim() : input.value.trim();
    }

    function options() {
      return Array.from(listbox.children);
    }

    function say(text, visible) {
      status.textContent = text;
      status.classList.toggle("visually-hidden", !visible);
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function open() {
      if (!options().length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function pick(option) {
      const item = shown[Number(option.dataset.index)];
      const name = kind.text(item);
      if (many) {
        const kept = items().slice(0, -1).map((item) => item.trim()).filter(Boolean);
        input.value = kept.concat([name]).join(", ");
      } else {
        input.value = name;
      }
      close();
      say(name + " chosen.", false);
      input.focus();
      kind.picked(item, input);
    }

    function show(terms, query) {
      const chosen = many ? items().slice(0, -1).map((item) => item.trim().toLowerCase()) : [];
      const fresh = terms.filter((term) => !chosen.includes(kind.text(term).toLowerCase()));
      shown = fresh;
      listbox.replaceChildren(
        ...fresh.map(function (term, i) {
          const option = document.createElement("li");
          option.id = listId + "-" + i;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.dataset.index = String(i);
          kind.render(option, term);
          return option;
        })
      );
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (fresh.length) {
        open();
        const count = fresh.length === 1 ? "1 match" : fresh.length + " matches";
        say(count + ": use the Down and Up arrows to choose, Enter to pick.", false);
      } else {
        close();
        const none = (!query && input.dataset.suggestEmpty) || input.dataset.suggestNone || "Nothing matches “{q}”.";
        say(terms.length ? "" : none.replace("{q}", query), true);
      }
    }

    async function ask() {
      const query = typed();
      if (!query && !kind.askEmpty) {
        close();
        say("", false);
        return;
      }
      const number = ++asked;
      const separator = url.includes("?") ? "&" : "?";
      let result;
      try {
        result = await window.mentorshipApi.call(
          "GET",
          url + separator + "page_size=" + LIMIT + "&q=" + encodeURIComponent(query)
        );
      } catch (error) {
        return; // offline: the field still takes what is typed
      }
      if (number !== asked || !result.ok || !result.data) return; // a later keystroke asked again
      show(result.data.results, query);
    }

    input.addEventListener("input", function () {
      kind.typed(input);
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });

    if (kind.askEmpty) {
      // The best items at once, before anything is typed.
      input.addEventListener("focus", function () {
        if (!typed() && listbox.hidden) ask();
      });
    }

    input.addEventListener("keydown", function (event) {
      const expanded = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options().length) return;
        event.preventDefault();
        open();
        const down = event.key === "ArrowDown";
        highlight(active === -1 ? (down ? 0 : -1) : active + (down ? 1 : -1));
      } else if (event.key === "Enter" && expanded && active !== -1) {
        event.preventDefault(); // picking is not submitting the form
        pick(options()[active]);
      } else if (event.key === "Escape" && expanded) {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      clearTimeout(timer);
      asked++; // an answer still on its way is not shown any more
      close();
    });
    // A press on an option keeps the focus in the field (so the list is not closed before the click).
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", function (event) {
      const option = event.target.closest('[role="option"]');
      if (option) pick(option);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    if (input.id) enhance(input);
  });

  window.mentorshipSuggest = { enhance: enhance };
})();
