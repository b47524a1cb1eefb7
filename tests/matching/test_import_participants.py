import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest

from accounts.models import Industry, Profile, Skill, User
from matching.imports import RowError, participants_import, participants_validate
from mentorship.models import Goal
from programs.models import Membership
from tests.factories import PASSWORD, GoalFactory, MenteeFactory, SkillFactory

HEADER = "role,username,email,full_name,industry,skills,goals,capacity"
MENTOR_ROW = "mentor,nora,nora@example.org,Nora Mentor,Healthcare,Clinical research;Leadership,,4"
MENTEE_ROW = (
    "mentee,milo,milo@example.org,Milo Mentee,Healthcare,Leadership;Public speaking,Lead a ward;Publish a paper,"
)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def errors_of(*rows: str) -> list[str]:
    return [str(error) for error in participants_validate(csv_file=csv_text(*rows)).errors]


def profile_of(username: str) -> Profile:
    """A person's profile with `capacity` (their mentor membership's in the default program, if any) and `side`
    (what the file's `skills` column sets: taught for a mentor, wanted for a mentee)."""
    profile = Profile.objects.select_related("user", "industry").get(user__username__iexact=username)
    mentor = Membership.objects.filter(user=profile.user, role=Membership.Role.MENTOR).first()
    profile.capacity = mentor.capacity if mentor else None
    profile.side = profile.skills if mentor else profile.wanted_skills
    return profile


def skill_names(profile) -> set[str]:
    return set(profile.side.values_list("name", flat=True))


@pytest.mark.django_db
def test_a_good_file_creates_mentors_and_mentees_with_profiles_skills_industry_capacity_and_goals():
    report = participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))

    assert (report.mentors_created, report.mentees_created, report.errors) == (1, 1, ())
    nora = profile_of("nora")
    assert (nora.user.email, nora.user.full_name) == ("nora@example.org", "Nora Mentor")
    assert list(nora.user.memberships.values_list("program__slug", "role", "status")) == [("main", "mentor", "active")]
    assert (nora.industry.name, nora.capacity) == ("Healthcare", 4)
    assert skill_names(nora) == {"Clinical research", "Leadership"}
    milo = profile_of("milo")
    assert milo.industry == nora.industry
    assert skill_names(milo) == {"Leadership", "Public speaking"}
    assert set(milo.user.goals.values_list("title", flat=True)) == {"Lead a ward", "Publish a paper"}
    assert Skill.objects.filter(name="Leadership").count() == 1


@pytest.mark.django_db
def test_values_are_tidied_as_at_sign_up_and_a_blank_capacity_is_two():
    participants_import(
        csv_file=csv_text(
            " Mentor ,nora,Nora@Example.ORG,Nora Mentor,, Leadership ;;Public  speaking;,,",
            "mentee,milo,milo@example.org,Milo Mentee,,,  Lead a ward ;; lead a ward;,",
        )
    )

    nora = profile_of("nora")
    assert (nora.user.email, nora.capacity, nora.industry) == ("Nora@example.org", 2, None)
    assert skill_names(nora) == {"Leadership", "Public speaking"}
    assert list(Goal.objects.values_list("title", flat=True)) == ["Lead a ward"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("admin,nora,nora@example.org,Nora,,,,", 'role: "admin" is not a role; use "mentee" or "mentor".'),
        (",nora,nora@example.org,Nora,,,,", 'role: "" is not a role'),
        ("mentor,no ra,nora@example.org,Nora,,,,", "username: Enter a valid username."),
        (f"mentor,{'n' * 151},nora@example.org,Nora,,,,", "username: Ensure this value has at most 150 characters"),
        ("mentor,,nora@example.org,Nora,,,,", "username: This field is required."),
        ("mentor,nora,nora@,Nora,,,,", "email: Enter a valid email address."),
        ("mentor,nora,,Nora,,,,", "email: This field is required."),
        ("mentor,nora,nora@example.org,,,,,", "full_name: This field is required."),
        (f"mentor,nora,nora@example.org,{'N' * 151},,,,", "full_name: Ensure this value has at most 150 characters"),
        (f"mentor,nora,nora@example.org,Nora,{'I' * 81},,,", "industry: Ensure this value has at most 80 characters"),
        (f"mentor,nora,nora@example.org,Nora,,Python;{'S' * 81},,", 'skills: "SSSS'),
        (
            "mentor,nora,nora@example.org,Nora,,{},,".format(";".join(f"Skill {i}" for i in range(31))),
            "skills: At most 30 skills; this row has 31.",
        ),
        ("mentor,nora,nora@example.org,Nora,,,Lead a team,", "goals: Only mentees have goals"),
        (f"mentee,mila,mila@example.org,Mila,,,{'G' * 201},", 'goals: "GGGG'),
        (
            "mentee,mila,mila@example.org,Mila,,,{},".format(";".join(f"Goal {i}" for i in range(21))),
            "goals: At most 20 goals; this row has 21.",
        ),
        ("mentor,nora,nora@example.org,Nora,,,,two", 'capacity: "two" is not a whole number; give 0 to 50 mentees.'),
        ("mentor,nora,nora@example.org,Nora,,,,1_0", 'capacity: "1_0" is not a whole number'),
        ("mentor,nora,nora@example.org,Nora,,,,51", "capacity: 51 is out of range; give 0 to 50 mentees."),
        ("mentor,nora,nora@example.org,Nora,,,,-1", "capacity: -1 is out of range"),
        ("mentee,mila,mila@example.org,Mila,,,,3", "capacity: Only mentors have a capacity"),
        ("mentor,nora,nora@example.org,Nora,,", "row: Expected 8 values, found 6"),
    ],
)
def test_every_kind_of_bad_value_is_reported_with_its_line_and_field(row, expected):
    errors = errors_of(MENTEE_ROW, row)

    assert len(errors) == 1, errors
    assert errors[0].startswith(f"line 3: {expected}"), errors


@pytest.mark.django_db
def test_too_long_skills_and_goals_name_the_item_and_the_limit():
    errors = errors_of(f"mentee,milo,milo@example.org,Milo,,{'S' * 81},{'G' * 201},")

    assert errors == [
        f'line 2: skills: "{"S" * 39}…": Ensure this value has at most 80 characters (it has 81).',
        f'line 2: goals: "{"G" * 39}…": Ensure this value has at most 200 characters (it has 201).',
    ]


@pytest.mark.django_db
def test_usernames_and_emails_repeated_in_the_file_whatever_their_case_are_reported():
    errors = errors_of(
        MENTOR_ROW,
        "mentee,NORA,other@example.org,Nora Again,,,,",
        "mentee,milo,NORA@Example.org,Milo,,,,",
    )

    assert errors == [
        'line 3: username: "NORA" is already on line 2 (the case of letters does not matter).',
        'line 4: email: "NORA@example.org" is already on line 2 (the case of letters does not matter).',
    ]


@pytest.mark.django_db
def test_an_email_address_of_another_account_is_reported(mentor):
    errors = errors_of("mentee,milo,OTTO@example.org,Milo,,,,")

    assert errors == ['line 2: email: "OTTO@example.org" is the email address of another account (otto).']


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "role", "was"), [("mentee", "mentor", "mentee"), ("mentor", "mentee", "mentor")])
def test_an_existing_participant_imported_in_another_role_holds_both(request, persona, role, was):
    """A person may hold several roles (issue 12): an import in another role adds it; it used to be refused."""
    user = request.getfixturevalue(persona)

    report = participants_import(csv_file=csv_text(f"{role},{user.username.upper()},{user.email},{user.full_name},,,,"))

    assert report.errors == ()
    assert set(user.memberships.values_list("role", flat=True)) == {was, role}


@pytest.mark.django_db
def test_a_program_admins_account_cannot_be_imported_over(admin_user):
    errors = errors_of(f"mentor,ada,{admin_user.email},Ada Admin,,,,")

    assert errors == ['line 2: username: "ada" is site staff; the import only touches mentors and mentees.']
    assert not Membership.objects.filter(user=admin_user).exists()


@pytest.mark.django_db
def test_a_bad_row_imports_nothing_and_every_bad_line_is_reported(mentor):
    skills_before, users_before, industries_before = (
        Skill.objects.count(),
        User.objects.count(),
        Industry.objects.count(),
    )
    text = csv_text(
        MENTOR_ROW,
        "mentee,milo,not-an-email,Milo,,New skill,A goal,",
        "",  # a blank line still counts, so the numbers match the admin's editor
        MENTEE_ROW.replace("milo", "mila"),
        "mentor,otto,otto@example.org,Otto,New industry,,,99",
        "mentee,dan,dan@example.org,,,,,",
    )

    report = participants_import(csv_file=text)

    assert [str(error) for error in report.errors] == [
        "line 3: email: Enter a valid email address.",
        "line 6: capacity: 99 is out of range; give 0 to 50 mentees.",
        "line 7: full_name: This field is required.",
    ]
    assert (report.mentors_created, report.mentees_created, report.mentors_updated) == (0, 0, 0)
    assert (User.objects.count(), Skill.objects.count()) == (users_before, skills_before)
    assert Industry.objects.count() == industries_before
    assert not Goal.objects.exists()
    assert profile_of(mentor.username).capacity == 2


@pytest.mark.django_db
def test_the_errors_are_data_for_a_web_page_not_output():
    report = participants_import(csv_file=csv_text("mentor,nora,nora@,Nora,,,,").encode())

    assert report.errors == (RowError(line=2, field="email", message="Enter a valid email address."),)


@pytest.mark.django_db
def test_reimport_updates_by_username_and_does_not_duplicate_goals_or_terms():
    participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))
    milo = User.objects.get(username="milo")
    GoalFactory(mentee=milo, title="Mentor a junior")

    report = participants_import(
        csv_file=csv_text(
            "mentor,NORA,nora@example.org,Nora Newname,Education,leadership;Curriculum design,,0",
            "mentee,Milo,milo@example.org,Milo Mentee,HEALTHCARE,,LEAD A WARD;Run a clinic,",
        )
    )

    assert (report.mentors_updated, report.mentees_updated, report.mentors_created, report.mentees_created) == (
        1,
        1,
        0,
        0,
    )
    nora = profile_of("nora")
    assert (nora.user.email, nora.user.full_name, nora.industry.name, nora.capacity) == (
        "nora@example.org",
        "Nora Newname",
        "Education",
        0,
    )
    assert skill_names(nora) == {"Leadership", "Curriculum design"}
    milo_profile = profile_of("milo")
    assert milo_profile.industry.name == "Healthcare"
    assert skill_names(milo_profile) == set()
    assert sorted(milo.goals.values_list("title", flat=True)) == [
        "Lead a ward",
        "Mentor a junior",
        "Publish a paper",
        "Run a clinic",
    ]
    assert Industry.objects.count() == 2
    assert Skill.objects.filter(name__iexact="leadership").count() == 1
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_an_import_never_changes_an_accounts_address_and_says_so_on_the_line():
    """A reset link goes to the address: an import that moved it would hand the account to whoever reads the new
    one. People change their own address, with their password and a link to the new one."""
    participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))
    nora = User.objects.get(username="nora")
    nora.set_password(PASSWORD)  # she has signed in since
    nora.save()

    report = participants_import(
        csv_file=csv_text(
            "mentor,nora,nora.new@example.org,Nora Newname,,,,",
            MENTEE_ROW.replace("Milo Mentee", "Milo M."),
        )
    )

    assert [str(error) for error in report.errors] == [
        'line 2: email: "nora.new@example.org" is not the address of nora (nora@example.org): an import never '
        "changes an address. Keep nora@example.org in the file; nora can change it from their profile."
    ]
    assert report.mentors_updated == report.mentees_updated == 0
    assert User.objects.get(username="nora").email == "nora@example.org"
    assert User.objects.get(username="nora").full_name == "Nora Mentor"  # all or nothing: nothing changed
    assert User.objects.get(username="milo").full_name == "Milo Mentee"
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_address_in_another_case_is_the_same_and_stays_as_the_account_has_it():
    participants_import(csv_file=csv_text(MENTOR_ROW))

    report = participants_import(csv_file=csv_text(MENTOR_ROW.replace("nora@example.org", "NORA@Example.org")))

    assert (report.errors, report.mentors_updated) == ((), 1)
    assert User.objects.get(username="nora").email == "nora@example.org"


@pytest.mark.django_db
def test_an_account_without_an_address_gets_none_from_an_import():
    MenteeFactory(username="milo", email="")

    errors = errors_of(MENTEE_ROW)

    assert errors == [
        "line 2: email: milo has no address, and an import never gives an account one: leave milo out of the file; "
        "they can add one from their profile."
    ]


@pytest.mark.django_db
def test_only_profiles_the_reimport_changes_get_a_new_updated_at():
    """The recommendations cache is rebuilt when a mentor profile's `updated_at` moves."""
    participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))
    nora, milo = profile_of("nora"), profile_of("milo")

    participants_import(csv_file=csv_text(MENTOR_ROW.replace("Clinical research;", ""), MENTEE_ROW))

    assert profile_of("nora").updated_at > nora.updated_at
    assert profile_of("milo").updated_at == milo.updated_at
    assert skill_names(nora) == {"Leadership"}


@pytest.mark.django_db
def test_skills_differing_only_in_case_are_one_skill():
    SkillFactory(name="Python")

    participants_import(
        csv_file=csv_text(
            "mentor,nora,nora@example.org,Nora,,python;PYTHON;Data science,,",
            "mentee,milo,milo@example.org,Milo,,data SCIENCE;Python,,",
        )
    )

    assert sorted(Skill.objects.values_list("name", flat=True)) == ["Data science", "Python"]
    assert skill_names(profile_of("milo")) == {"Data science", "Python"}


@pytest.mark.django_db
def test_an_existing_participant_without_a_profile_gets_one():
    Profile.objects.filter(user=MenteeFactory(username="milo", email="milo@example.org")).delete()

    report = participants_import(csv_file=csv_text(MENTEE_ROW))

    assert report.mentees_updated == 1
    assert skill_names(profile_of("milo")) == {"Leadership", "Public speaking"}


@pytest.mark.django_db
def test_imported_users_cannot_log_in_with_any_password(client):
    participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))

    for user in User.objects.all():
        assert not user.has_usable_password()
        for password in (PASSWORD, "", user.password):
            assert not user.check_password(password)
    assert not client.login(request=HttpRequest(), username="nora", password=PASSWORD)  # the lockout needs one


@pytest.mark.django_db
def test_an_import_sends_no_email():
    participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_wrong_header_is_reported_on_line_1_and_nothing_else_is_checked():
    text = "role,user,email,full_name,industry,skills,goals,capacity\nmentor,no ra,bad,,,,,\n"

    errors = [str(error) for error in participants_validate(csv_file=text).errors]

    assert errors == [
        f'line 1: header: Expected "{HEADER}", found "role,user,email,full_name,industry,skills,goals,capacity".'
    ]


@pytest.mark.django_db
def test_an_empty_file_is_reported_on_line_1():
    errors = [str(error) for error in participants_validate(csv_file=b"").errors]

    assert errors == [f'line 1: header: The first line must be the header "{HEADER}".']


@pytest.mark.django_db
def test_a_byte_order_mark_windows_line_endings_and_a_quoted_multiline_value_are_read():
    text = "\ufeff" + csv_text(MENTOR_ROW, 'mentee,milo,milo@example.org,"Milo\nMentee",,,,', "mentee,bad,bad,Bad,,,,")

    errors = [str(error) for error in participants_validate(csv_file=text.replace("\n", "\r\n").encode()).errors]

    # The record of line 3 ends on line 4; a name is one line, so its line break is reported where it starts.
    assert errors == [
        "line 3: full_name: No line breaks, tabs or other control characters here (found U+000D).",
        "line 5: email: Enter a valid email address.",
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_reported_with_its_line():
    content = csv_text(MENTOR_ROW, "mentee,milo,milo@example.org,Milo Müller,,,,").encode("latin-1")

    errors = [str(error) for error in participants_validate(csv_file=content).errors]

    assert errors == ["line 3: file: The file is not UTF-8 text; save it as “CSV UTF-8” and import it again."]


@pytest.mark.django_db
def test_the_command_prints_a_summary_and_exits_0(tmp_path, mentor, capsys):
    path = tmp_path / "participants.csv"
    path.write_text(csv_text(MENTOR_ROW, MENTEE_ROW, f"mentor,otto,{mentor.email},Otto Mentor,,,,"))

    call_command("import_participants", str(path))  # returns, so manage.py exits with status 0

    out = capsys.readouterr().out
    assert "Mentors: 1 created, 1 updated." in out
    assert "Mentees: 1 created, 0 updated." in out


@pytest.mark.django_db
def test_the_command_lists_every_bad_line_and_exits_1(tmp_path, capsys):
    path = tmp_path / "participants.csv"
    path.write_text(csv_text(MENTOR_ROW, "mentee,milo,bad,Milo,,,,", "mentor,x,x@example.org,,,,,"))

    with pytest.raises(CommandError) as raised:
        call_command("import_participants", str(path))

    assert "line 3: email: Enter a valid email address.\nline 4: full_name: This field is required." in str(
        raised.value
    )
    # manage.py prints a CommandError to stderr and exits with its returncode. (Calling manage.py's entry point
    # here would close the test's database connection on the way out.)
    assert raised.value.returncode == 1
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.csv: No such file or directory\."):
        call_command("import_participants", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_a_2000_row_file_imports_in_bulk(django_assert_max_num_queries):
    rows = [
        f"mentor,mentor-{i},mentor-{i}@example.org,Mentor {i},Industry {i % 12},Skill {i % 50};Skill {i % 7},,{i % 6}"
        for i in range(500)
    ] + [
        f"mentee,mentee-{i},mentee-{i}@example.org,Mentee {i},Industry {i % 12},skill {i % 50},Goal A;Goal {i},"
        for i in range(1500)
    ]

    with django_assert_max_num_queries(100):  # batches of rows; a query per row would be thousands
        report = participants_import(csv_file=csv_text(*rows))

    assert (report.mentors_created, report.mentees_created, report.errors) == (500, 1500, ())
    assert Membership.objects.mentors().count() == 500
    assert Membership.objects.mentees().count() == 1500
    assert Profile.objects.count() == 2000
    assert (Skill.objects.count(), Industry.objects.count()) == (50, 12)
    assert Profile.skills.through.objects.count() == 500 * 2 - len([i for i in range(500) if i % 50 == i % 7])
    assert Profile.wanted_skills.through.objects.count() == 1500
    assert Goal.objects.count() == 3000

    with django_assert_max_num_queries(100):
        report = participants_import(csv_file=csv_text(*rows))

    assert (report.mentors_updated, report.mentees_updated, report.mentors_created) == (500, 1500, 0)
    assert Goal.objects.count() == 3000


@pytest.mark.django_db
def test_an_admins_import_adds_its_terms_approved_and_approves_a_suggestion_it_names(mentee):
    waiting = SkillFactory(name="Public speaking", status=Skill.Status.SUGGESTED, suggested_by=mentee)
    mentee.profile.wanted_skills.add(waiting)

    report = participants_import(csv_file=csv_text(MENTOR_ROW, MENTEE_ROW))

    assert report.errors == ()
    assert set(Skill.objects.values_list("name", "status")) == {
        ("Clinical research", "approved"),
        ("Leadership", "approved"),
        ("Public speaking", "approved"),
    }
    assert Skill.objects.get(name="Public speaking") == waiting
    assert list(Industry.objects.values_list("name", flat=True)) == ["Healthcare"]
