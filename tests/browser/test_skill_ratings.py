"""Skills gained in real Chromium, in each format at phone and desktop widths: a member follows the mentorship
page's link, rates where they start, and once the mentorship has completed rates again and reads the gain; a mentor
rates a member beside them. Each state is audited with axe-core and photographed."""

import pytest
from playwright.sync_api import expect

from evaluation.models import SkillRating
from tests.browser.test_format_pages import _looks_right
from tests.evaluation.skill_worlds import bring
from tests.factories import MenteeFactory, MentorFactory, MentorshipFactory
from tests.formats import circle_world, peer_world
from tests.mentorship.together_worlds import complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _one_on_one():
    maya = MenteeFactory(username="maya", full_name="Maya Mentee")
    mentorship = MentorshipFactory(mentee=maya, mentor=MentorFactory(username="otto", full_name="Otto Mentor"))
    return mentorship, maya, "otto"


def _circle():
    world = circle_world()
    bring(world["circle"], world["ben"], "Delegation")
    return world["circle"], world["ana"], "otto"


def _pair():
    world = peer_world()
    return world["pair"], world["ivy"], None


def _rate(page, levels: dict, button: str) -> None:
    for skill, level in levels.items():
        page.get_by_role("group", name=skill).get_by_label(level).check()
    page.get_by_role("button", name=button).click()


# Each format once, the widths shared out among them: every page is also walked at both widths by
# tests/browser/test_every_page.py.
@pytest.mark.parametrize(
    ("make", "width"),
    [(_one_on_one, 390), (_circle, 1280), (_pair, 390)],
    ids=["one_on_one-390", "circle-1280", "peer-390"],
)
def test_a_member_rates_where_they_start_and_where_they_ended_up(person_at, tmp_path, width, make):
    mentorship, member, mentor = make()
    bring(mentorship, member, "Public speaking", "Python")

    page = person_at(member.username, width)
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("link", name="Skills", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills")
    expect(page.get_by_role("heading", name="Rate where you start")).to_be_visible()
    _looks_right(page, width, tmp_path, f"skills-start-{member.username}")
    _rate(page, {"Public speaking": "2 Novice", "Python": "3 Competent"}, "Save start levels")
    expect(page.get_by_text("Start levels saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your skills")).to_be_focused()
    expect(page.get_by_role("group", name="Python").get_by_label("3 Competent")).to_be_checked()  # shown again

    complete(mentorship)
    page.reload()
    expect(page.get_by_role("heading", name="Rate where you are now")).to_be_visible()
    _rate(page, {"Public speaking": "4 Proficient", "Python": "3 Competent"}, "Save completion levels")
    expect(page.get_by_text("Completion levels saved.")).to_be_visible()
    history = page.get_by_role("table")
    expect(history.get_by_role("row", name="Public speaking")).to_contain_text("+2")
    _looks_right(page, width, tmp_path, f"skills-completed-{member.username}")

    if mentor:
        other = person_at(mentor, width)
        other.goto(f"/mentorships/{mentorship.pk}/skills/")
        section = other.get_by_role("region", name=member.full_name)
        expect(section.get_by_role("heading", name=f"Rate where {member.get_short_name()} is now")).to_be_visible()
        for skill, level in {"Public speaking": "3 Competent", "Python": "4 Proficient"}.items():
            section.get_by_role("group", name=skill).get_by_label(level).check()
        section.get_by_role("button", name="Save completion levels").click()
        expect(other.get_by_text(f"Completion levels saved for {member.get_short_name()}.")).to_be_visible()
        _looks_right(other, width, tmp_path, f"skills-mentor-{mentor}")

    self_rated = SkillRating.objects.filter(subject=member, rater=member)
    assert {(r.skill.name, r.stage): r.level for r in self_rated} == {
        ("Public speaking", "start"): 2,
        ("Python", "start"): 3,
        ("Public speaking", "completion"): 4,
        ("Python", "completion"): 3,
    }
    assert SkillRating.objects.exclude(rater=member).count() == (2 if mentor else 0)
