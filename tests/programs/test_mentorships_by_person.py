"""The participants page lists each person's mentorships in the program, whatever their format."""

import pytest

from programs.selectors import mentorships_by_person
from tests.factories import MemberFactory, MentorshipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_persons_mentorships_once_a_circle_left_and_rejoined_too():
    group = ProgramFactory(format="group")
    mentor, ann, bea = UserFactory(), UserFactory(), UserFactory()
    circle = MentorshipFactory(program=group, mentor=mentor, mentee=None)
    MemberFactory(mentorship=circle, user=ann, status="left")
    MemberFactory(mentorship=circle, user=ann)  # back for a second stay
    MemberFactory(mentorship=circle, user=bea)
    pair = MentorshipFactory(program=ProgramFactory(format="peer"), mentor=None, mentee=None)
    MemberFactory(mentorship=pair, user=ann)

    found = mentorships_by_person(program=group, user_ids={mentor.pk, ann.pk, bea.pk})

    assert found == {mentor.pk: [circle], ann.pk: [circle], bea.pk: [circle]}
