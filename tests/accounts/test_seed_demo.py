import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Industry, MenteeProfile, MentorProfile, User


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_program_and_prints_the_logins(capsys):
    call_command("seed_demo")

    out = capsys.readouterr()
    assert MentorProfile.objects.count() >= 50
    assert MenteeProfile.objects.count() >= 150
    assert Industry.objects.count() >= 10
    assert not MentorProfile.objects.filter(skills=None).exists()
    assert not MenteeProfile.objects.filter(industry=None).exists()
    for username in ("admin", "mentor", "mentee"):
        assert username in out.out
    assert DEMO_PASSWORD in out.out
    assert "100%" in out.err  # the progress bar ran to the end


@pytest.mark.django_db
def test_demo_logins_work_with_the_printed_password():
    call_command("seed_demo")

    assert User.objects.get(username="admin").is_program_admin
    for username in ("admin", "mentor", "mentee"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing_the_second_time(capsys):
    call_command("seed_demo")
    count = User.objects.count()

    call_command("seed_demo")

    assert User.objects.count() == count
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_usernames_and_emails_are_unique_whatever_the_case():
    call_command("seed_demo")

    usernames = [u.lower() for u in User.objects.values_list("username", flat=True)]
    assert len(usernames) == len(set(usernames))
