"""What a keyboard user meets that axe-core does not check: a select that saves on an arrow key, a focus ring too
faint to find, a disabled button that looks like any other (and that Tab skips, with its reason), and focus lost to
the top of the page after each action."""

import re

import pytest
from playwright.sync_api import expect

from mentorship.models import Goal, Milestone
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    GoalFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    RequestFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_arrow_key_on_a_goals_status_saves_nothing_until_save_is_pressed(page):
    goal = GoalFactory(mentee=MenteeFactory(username="maya"), title="Learn SQL")
    sign_in(page, "maya", PASSWORD)
    page.goto("/goals/")
    sent = []
    page.on("request", lambda request: "/api/v1/goals/" in request.url and sent.append(request.method))

    status = page.get_by_label("Status of Learn SQL")
    status.focus()
    page.keyboard.press("ArrowDown")
    expect(status).to_have_value("achieved")
    page.wait_for_timeout(500)  # ample time for a save on change to be sent

    assert sent == []
    goal.refresh_from_db()
    assert goal.status == "open"

    page.keyboard.press("Tab")
    save = page.get_by_role("button", name="Save the status of Learn SQL")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("[data-page-status]")).to_have_text("Status saved.")
    expect(save).to_be_focused()  # back where the person was, on the page read again
    expect(page.get_by_label("Status of Learn SQL")).to_have_value("achieved")
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert sent == ["PATCH"]
    assert page.console_errors == []


def _rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(part) for part in re.findall(r"[\d.]+", css)[:3])


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two CSS rgb() colours."""

    def luminance(rgb):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(_rgb(one)), luminance(_rgb(other))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The focused element's outline, and the first opaque background behind it: the ring is drawn outside the element
# (outline-offset), over its parent's background.
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let behind = "rgb(255, 255, 255)";
  for (let up = el.parentElement; up; up = up.parentElement) {
    const colour = getComputedStyle(up).backgroundColor;
    if (!/^rgba\\(.*, 0\\)$/.test(colour) && colour !== "transparent") { behind = colour; break; }
  }
  return {what: el.outerHTML.slice(0, 70), style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          colour: style.outlineColor, behind: behind};
}"""


def test_the_focus_ring_of_every_stop_contrasts_3_to_1_with_what_is_behind_it(page):
    goal = GoalFactory(mentee=MenteeFactory(username="maya"), title="Learn SQL")
    MilestoneFactory(goal=goal, title="Write a join")
    sign_in(page, "maya", PASSWORD)
    page.goto("/goals/")

    rings, first = [], None
    for _ in range(40):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["what"].startswith("<body"):
            continue  # past the last stop, focus is on the browser's own controls
        if ring["what"] == first:
            break  # round the page once
        first = first or ring["what"]
        rings.append(ring)

    assert len(rings) > 10  # links, summaries, a select, buttons, a checkbox, inputs
    faint = [
        f"{r['what']}: {r['style']} {r['width']}px {r['colour']} on {r['behind']}"
        f" ({contrast(r['colour'], r['behind']):.1f}:1)"
        for r in rings
        if r["style"] == "none" or r["width"] < 2 or contrast(r["colour"], r["behind"]) < 3
    ]
    assert faint == [], "\n".join(faint)


# A button of the same kind that can act, made beside the one that cannot, to compare how they look.
LOOKS = """button => {
  const able = document.createElement("button");
  able.className = button.className;
  button.after(able);
  const [off, on] = [getComputedStyle(button), getComputedStyle(able)];
  const looks = {off: [off.backgroundColor, off.color, off.borderStyle],
                 on: [on.backgroundColor, on.color, on.borderStyle]};
  able.remove();
  return looks;
}"""


def test_a_button_that_cannot_act_looks_it_and_tells_the_keyboard_why(page):
    MenteeFactory(username="maya")
    mentor = MentorFactory(username="otto", full_name="Otto Mentor")
    for _ in range(2):
        MentorshipFactory(mentor=mentor)
    sign_in(page, "maya", PASSWORD)
    page.goto(f"/mentors/{mentor.pk}/")
    sent = []
    page.on("request", lambda request: "/api/v1/" in request.url and sent.append(request.url))

    button = page.get_by_role("button", name="Request mentorship")
    expect(button).to_be_disabled()
    expect(button).to_have_accessible_description("Otto Mentor has no open slot at the moment.")
    looks = button.evaluate(LOOKS)
    assert looks["off"][0] != looks["on"][0], looks  # not the brand's colour
    assert looks["off"][1] != looks["on"][1], looks
    # A button disabled while the server answers looks the same.
    page.evaluate("document.querySelector('nav button').disabled = true")
    waiting = page.locator("nav button").evaluate(LOOKS)
    assert waiting["off"] != waiting["on"], waiting

    for _ in range(30):  # Tab reaches it, where its reason is read out
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert sent == []


def test_after_accepting_with_the_keyboard_focus_is_on_what_was_done(page):
    mentor = MentorFactory(username="otto")
    RequestFactory(mentor=mentor, mentee=MenteeFactory(full_name="Wendy Waiting"))
    sign_in(page, "otto", PASSWORD)
    page.goto("/requests/")

    page.get_by_role("button", name="Accept").focus()
    page.keyboard.press("Enter")

    news = page.get_by_role("status").filter(has_text="Request accepted")
    expect(news).to_have_text("Request accepted: Wendy Waiting is your mentee now.")
    expect(news).to_be_focused()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    assert page.console_errors == []


def test_after_ticking_or_adding_a_milestone_focus_is_on_that_milestone(page):
    goal = GoalFactory(mentee=MenteeFactory(username="maya"), title="Learn SQL")
    MilestoneFactory(goal=goal, title="Write a join")
    sign_in(page, "maya", PASSWORD)
    page.goto("/goals/")
    status = page.locator("[data-page-status]")

    page.get_by_label("Write a join").focus()
    page.keyboard.press("Space")

    expect(status).to_have_text("Milestone saved.")
    expect(page.get_by_label("Write a join")).to_be_focused()
    expect(page.get_by_label("Write a join")).to_be_checked()
    assert Milestone.objects.get(title="Write a join").done

    page.get_by_label("New milestone").fill("Write a window function")
    page.keyboard.press("Enter")

    expect(status).to_have_text("Milestone added.")
    expect(page.get_by_label("Write a window function")).to_be_focused()
    assert goal.milestones.count() == 2
    assert page.console_errors == []


def test_after_a_new_goal_focus_is_on_its_heading_and_after_saving_a_profile_on_saved(page):
    MenteeFactory(username="maya")
    sign_in(page, "maya", PASSWORD)
    page.goto("/goals/")
    page.locator("summary", has_text="New goal").click()
    page.get_by_label("Title").fill("Learn SQL")
    page.keyboard.press("Enter")

    expect(page.locator("[data-page-status]")).to_have_text("Goal saved.")
    expect(page.get_by_role("heading", name="Learn SQL")).to_be_focused()
    assert Goal.objects.filter(title="Learn SQL").exists()

    page.goto("/profile/")
    page.get_by_label("Full name").fill("Maya M.")
    page.get_by_role("button", name="Save profile").press("Enter")
    expect(page).to_have_url(re.compile(r"/profile/\?saved=1$"))
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_focused()
    assert page.console_errors == []
