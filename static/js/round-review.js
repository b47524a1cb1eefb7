// A round's review page: "Change mentor" searches the mentors a proposal may go to instead (the API's candidates:
// room once this round's proposals are counted, best fit first) with the combobox of suggest.js, and shows the new
// pair's score, reasons and warnings before anything is saved. A pair with a warning (a low score, a rule of the
// round broken) is saved only once "Propose this pair anyway" is ticked; the API refuses it otherwise (409).
(function () {
  "use strict";

  function percent(score) {
    return Math.round(score * 100) + "%";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function reasons(explanation) {
    const lines = [];
    if (explanation.shared_skills.length) lines.push("Skills: " + explanation.shared_skills.join(", "));
    if (explanation.industry) lines.push("Industry: " + explanation.industry);
    if (explanation.shared_goal_words.length) lines.push("Goal words: " + explanation.shared_goal_words.join(", "));
    return lines.length ? lines : ["Nothing in common"];
  }

  function slots(candidate) {
    const n = candidate.open_slots_after_round;
    return n + (n === 1 ? " slot" : " slots") + " left after this round";
  }

  function setUp(form) {
    const input = form.querySelector("[data-candidates]");
    const chosen = form.querySelector("[data-chosen-mentor]");
    const preview = form.querySelector("[data-preview]");
    const confirmBox = form.querySelector("[data-confirm-box]");
    const confirm = confirmBox.querySelector("input");
    const save = form.querySelector("[data-save]");

    function ready() {
      save.disabled = !chosen.value || (!confirmBox.hidden && !confirm.checked);
    }

    function clear() {
      chosen.value = "";
      preview.replaceChildren();
      confirmBox.hidden = true;
      confirm.checked = false;
      ready();
    }

    function show(candidate) {
      chosen.value = String(candidate.mentor.id);
      const now = Number(form.dataset.currentScore);
      const head = element("p", "preview-score");
      head.append(
        element("strong", "", candidate.mentor.full_name),
        ": " + percent(candidate.score) + " (now " + percent(now) + " with " + form.dataset.currentMentor + ") · " +
          slots(candidate)
      );
      const list = element("ul", "why");
      reasons(candidate.explanation).forEach((line) => list.append(element("li", "", line)));
      const parts = [head, list];
      candidate.warnings.forEach((warning) => parts.push(element("p", "notice", warning.detail)));
      preview.replaceChildren(...parts);
      confirmBox.hidden = candidate.warnings.length === 0;
      confirm.checked = false;
      ready();
    }

    confirm.addEventListener("change", ready);
    window.mentorshipSuggest.enhance(input, {
      url: input.dataset.candidates,
      askEmpty: true,
      text: (candidate) => candidate.mentor.full_name,
      render: function (option, candidate) {
        option.append(candidate.mentor.full_name);
        const facts = " · " + percent(candidate.score) + " · " + slots(candidate);
        option.append(element("span", "suggested-mark", facts + (candidate.warnings.length ? " · asks to confirm" : "")));
      },
      picked: show,
      typed: clear,
    });
    ready();
  }

  document.querySelectorAll("form.override").forEach(setUp);
  // Opening "Change mentor" goes straight to the search.
  document.querySelectorAll("details.change").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) details.querySelector("[data-candidates]").focus();
    });
  });
})();
