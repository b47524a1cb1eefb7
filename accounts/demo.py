"""The demo's people: mentors and mentees across real industries and skills, each with one profile.

What they do where (their memberships of the demo's four programs) is programs.demo's; their history
mentorship.demo's. Deterministic (a fixed seed), so screenshots and demos look the same on every machine. Every
demo account shares one password, hashed once: hashing hundreds of passwords at full strength would take a minute.
"""

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Industry, Profile, Skill, User
from accounts.taxonomy import taxonomy_terms_import

DEMO_PASSWORD = "mentoring-demo"
DEMO_ADMIN = "admin"
DEMO_MENTOR = "mentor"
DEMO_MENTEE = "mentee"
DEMO_COORDINATOR = "coordinator"  # administers the cohort only
DEMO_LOGINS = [DEMO_ADMIN, DEMO_COORDINATOR, DEMO_MENTOR, DEMO_MENTEE]
DEMO_PEERS = 24  # the peer program's people: the demo mentee and the last mentees, who can teach too

INDUSTRY_SKILLS: dict[str, list[str]] = {
    "Software & Internet": ["Python", "JavaScript", "System design", "Cloud architecture", "DevOps", "Code review"],
    "Financial Services": ["Financial modelling", "Risk management", "Excel", "Regulatory compliance", "Accounting"],
    "Healthcare": ["Clinical research", "Health informatics", "Patient experience", "Healthcare operations"],
    "Education": ["Curriculum design", "Instructional design", "Classroom management", "EdTech"],
    "Renewable Energy": ["Energy modelling", "Project finance", "Solar engineering", "Sustainability reporting"],
    "Manufacturing": ["Lean manufacturing", "Supply chain", "Quality assurance", "Industrial automation"],
    "Retail & E-commerce": ["Merchandising", "Digital marketing", "Customer analytics", "Pricing strategy"],
    "Media & Entertainment": ["Content strategy", "Video production", "Copywriting", "Audience growth"],
    "Public Sector": ["Policy analysis", "Public procurement", "Grant writing", "Stakeholder engagement"],
    "Nonprofit": ["Fundraising", "Volunteer management", "Impact measurement", "Grant writing"],
    "Consulting": ["Client management", "Business strategy", "Workshop facilitation", "Market research"],
    "Biotechnology": ["Lab management", "Bioinformatics", "Regulatory affairs", "Clinical trials"],
}
# Skills the demo's mentor and mentee logins suggested (see the admin's Skills page).
DEMO_SUGGESTIONS = {
    DEMO_MENTOR: ["Platform engineering"],
    DEMO_MENTEE: ["Prompt engineering", "Storytelling with data"],
}
GENERAL_SKILLS = [
    "Leadership",
    "Public speaking",
    "Negotiation",
    "Career planning",
    "Product management",
    "Data analysis",
    "Project management",
    "People management",
    "Hiring and interviewing",
    "Machine learning",
    "UX research",
    "Entrepreneurship",
    "Personal branding",
    "Work-life balance",
]
FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chen",
    "Dalia",
    "Emeka",
    "Fatima",
    "Gabriel",
    "Hana",
    "Ibrahim",
    "Jasmine",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oscar",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tomoko",
    "Umar",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aisha",
    "Bruno",
    "Carmen",
    "Diego",
    "Elif",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Liam",
    "Mei",
    "Noah",
    "Olga",
    "Pablo",
    "Rania",
    "Sofia",
    "Tariq",
    "Uma",
    "Viktor",
    "Yara",
]
LAST_NAMES = [
    "Okafor",
    "Schmidt",
    "Nakamura",
    "Haddad",
    "Silva",
    "Kowalski",
    "Mensah",
    "Larsen",
    "Patel",
    "Rossi",
    "Novak",
    "Garcia",
    "Ibrahim",
    "Chen",
    "Dubois",
    "Andersson",
    "Mwangi",
    "O'Brien",
    "Kaya",
    "Santos",
    "Yilmaz",
    "Fischer",
    "Moreau",
    "Adeyemi",
    "Tanaka",
    "Kim",
    "Nguyen",
    "Hernandez",
    "Popescu",
    "Lindqvist",
    "Cohen",
    "Ferreira",
    "Ivanova",
    "Müller",
    "Rahman",
    "Sato",
    "Walsh",
    "Zhang",
    "Abebe",
    "Costa",
]
TITLES = [
    "Engineering Manager",
    "Senior Analyst",
    "Director of Operations",
    "Principal Consultant",
    "Head of Product",
    "Research Lead",
    "Staff Engineer",
    "Programme Director",
    "Founder",
    "Senior Designer",
    "Team Lead",
    "Chief of Staff",
    "VP Marketing",
    "Policy Adviser",
]
TIMEZONES = [
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "Africa/Lagos",
    "Africa/Nairobi",
    "America/New_York",
    "America/Chicago",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]
# What the early-career people of the reverse-mentoring program teach the senior ones.
REVERSE_SKILLS = ["Machine learning", "Personal branding", "Data analysis", "UX research", "Work-life balance"]
LANGUAGE_OF_TIMEZONE = {
    "Europe/Berlin": "German",
    "Europe/Madrid": "Spanish",
    "Africa/Lagos": "Yoruba",
    "Africa/Nairobi": "Swahili",
    "America/Sao_Paulo": "Portuguese",
    "Asia/Kolkata": "Hindi",
    "Asia/Tokyo": "Japanese",
}
MENTEE_BIOS = [
    "Two years into my first role and looking for someone who has walked the path before me.",
    "Switching careers after a decade elsewhere; I learn fast and want to learn the right things.",
    "Recently promoted to lead a small team and keen to do it well.",
    "Final-year student preparing for my first job in the field.",
    "Returning to work after a career break and rebuilding my network and confidence.",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str


@dataclass(frozen=True)
class DemoPeople:
    """Who the demo made, in the order programs.demo hands out roles: the demo mentor and mentee come first."""

    admin: User
    coordinator: User
    mentors: list[User]
    mentees: list[User]

    @property
    def both_sides(self) -> int:
        """The first this-many mentors also want to grow something, and the first this-many mentees (plus one,
        who asks to mentor in the invite-only program) can also teach: the reverse-mentoring program pairs them."""
        return both_sides_count(len(self.mentors), len(self.mentees))

    @property
    def peers(self) -> list[User]:
        """Who learns from each other in the peer program: the demo mentee and the last mentees (each can teach
        something too)."""
        return [self.mentees[0], *self.mentees[first_peer_index(len(self.mentees)) :]]


def both_sides_count(mentors: int, mentees: int) -> int:
    return max(1, min(mentors, mentees) // 6)


def first_peer_index(mentees: int) -> int:
    return max(1, mentees - (DEMO_PEERS - 1))


def demo_is_loaded() -> bool:
    return User.objects.filter(username=DEMO_ADMIN).exists()


def demo_logins() -> list[DemoLogin]:
    """The demo's logins with what each one does where (site staff; a role in a program), for the command's output."""
    users = User.objects.filter(username__in=DEMO_LOGINS).prefetch_related("memberships__program")
    users = sorted(users, key=lambda u: DEMO_LOGINS.index(u.username))
    logins = []
    for user in users:
        roles = ["site staff"] if user.is_staff else []
        roles += [
            f"{m.role} in {m.program.name}"
            for m in sorted(user.memberships.all(), key=lambda m: (m.program.slug != "main", m.program.name))
        ]
        logins.append(DemoLogin(user.username, "; ".join(roles), user.full_name))
    return logins


@transaction.atomic
def demo_people_build(
    *, mentors: int = 60, mentees: int = 180, seed: int = 2026, progress: Callable[[int], None] = lambda n: None
) -> DemoPeople:
    """Create the demo's people with their profiles: a mentor's expertise is what they can teach (`skills`), a
    mentee's what they want to grow (`wanted_skills`), and a few have both. `progress(n)` is told each time n more
    people exist."""
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)

    # The demo's own taxonomy: approved, as an admin's import would add it.
    industries = taxonomy_terms_import(model=Industry, names=INDUSTRY_SKILLS)
    industries = {name: industries[name.lower()] for name in INDUSTRY_SKILLS}
    skill_names = sorted({s for skills in INDUSTRY_SKILLS.values() for s in skills} | set(GENERAL_SKILLS))
    skills = taxonomy_terms_import(model=Skill, names=skill_names)
    skills = {name: skills[name.lower()] for name in skill_names}

    admin = User.objects.create(
        username=DEMO_ADMIN,
        email="admin@example.org",
        full_name="Alex Admin",
        is_staff=True,
        is_superuser=True,
        password=password,
    )
    coordinator = User.objects.create(
        username=DEMO_COORDINATOR, email="coordinator@example.org", full_name="Casey Coordinator", password=password
    )
    progress(1)

    names = _unique_names(rng, mentors + mentees)
    mentor_names, mentee_names = names[:mentors], names[mentors:]
    both = both_sides_count(mentors, mentees)

    mentor_users = _create_users(mentor_names, DEMO_MENTOR, password)
    profiles, teach, learn = [], [], []
    for index, user in enumerate(mentor_users):
        industry_name = rng.choice(list(INDUSTRY_SKILLS))
        own = rng.sample(INDUSTRY_SKILLS[industry_name], k=min(3, len(INDUSTRY_SKILLS[industry_name])))
        own += rng.sample(GENERAL_SKILLS, k=2)
        years = rng.randint(5, 30)
        zone = rng.choice(TIMEZONES)
        profiles.append(
            Profile(
                user=user,
                headline=f"{rng.choice(TITLES)} · {years} years in {industry_name.lower()}",
                bio=(
                    f"I have spent {years} years in {industry_name.lower()}, most recently as a "
                    f"{rng.choice(TITLES).lower()}. Happy to help with {own[0].lower()} and {own[-1].lower()}."
                ),
                industry=industries[industry_name],
                years_experience=years,
                timezone=zone,
                languages=_languages(zone),
            )
        )
        teach.append(own)
        # A senior who wants to learn from the early-career people of the reverse-mentoring program.
        learn.append(rng.sample([s for s in REVERSE_SKILLS if s not in own], k=2) if index < both else [])
    progress(len(mentor_users))

    mentee_users = _create_users(mentee_names, DEMO_MENTEE, password)
    first_peer = first_peer_index(mentees)
    for index, user in enumerate(mentee_users):
        industry_name = rng.choice(list(INDUSTRY_SKILLS))
        wanted = rng.sample(INDUSTRY_SKILLS[industry_name], k=2) + rng.sample(GENERAL_SKILLS, k=rng.randint(1, 2))
        zone = rng.choice(TIMEZONES)
        profiles.append(
            Profile(
                user=user,
                bio=rng.choice(MENTEE_BIOS),
                industry=industries[industry_name],
                timezone=zone,
                languages=_languages(zone),
                # Early-career, yet with something to teach (reverse mentoring; the invite-only program).
                headline="Early-career and keen to share what I know" if index <= both else "",
            )
        )
        if index <= both:
            teach.append(rng.sample([s for s in REVERSE_SKILLS if s not in wanted], k=2))
        elif index >= first_peer:  # a peer: what they can share with the others
            shared = [s for s in INDUSTRY_SKILLS[industry_name] + GENERAL_SKILLS if s not in wanted]
            teach.append(rng.sample(shared, k=2))
        else:
            teach.append([])
        learn.append(wanted)
    Profile.objects.bulk_create(profiles)
    _link_skills(Profile.skills, profiles, teach, skills)
    _link_skills(Profile.wanted_skills, profiles, learn, skills)
    progress(len(mentee_users))
    _suggest_skills(mentor_users[0], Profile.skills, DEMO_SUGGESTIONS[DEMO_MENTOR])
    _suggest_skills(mentee_users[0], Profile.wanted_skills, DEMO_SUGGESTIONS[DEMO_MENTEE])
    return DemoPeople(admin=admin, coordinator=coordinator, mentors=mentor_users, mentees=mentee_users)


def _languages(zone: str) -> list[str]:
    return ["English", LANGUAGE_OF_TIMEZONE[zone]] if zone in LANGUAGE_OF_TIMEZONE else ["English"]


def _suggest_skills(user: User, side, names: list[str]) -> None:
    """New skills the demo logins named themselves: waiting on the admin's Skills page, shown to them only."""
    suggestions = [
        Skill(name=name, status=Skill.Status.SUGGESTED, suggested_by=user, suggested_at=timezone.now())
        for name in names
    ]
    Skill.objects.bulk_create(suggestions)
    side.through.objects.bulk_create([side.through(profile_id=user.profile.pk, skill_id=s.pk) for s in suggestions])


def _unique_names(rng: random.Random, count: int) -> list[str]:
    """Distinct full names; a middle initial once the first and last names run out (a scaled-up demo)."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    if count <= len(pairs):
        return [f"{first} {last}" for first, last in rng.sample(pairs, k=count)]
    names = [f"{first} {initial}. {last}" for first, last in pairs for initial in string.ascii_uppercase]
    if count > len(names):
        raise ValueError(f"The demo has names for at most {len(names)} people.")
    return rng.sample(names, k=count)


def _create_users(full_names: list[str], first_username: str, password: str) -> list[User]:
    """bulk_create skips User.save(), which makes a profile: the caller makes them."""
    users = []
    for index, full_name in enumerate(full_names):
        username = first_username if index == 0 else _username(full_name)
        email = f"{username}@example.org"
        users.append(User(username=username, email=email, full_name=full_name, password=password))
    return User.objects.bulk_create(users)


def _username(full_name: str) -> str:
    return ".".join(part.lower() for part in full_name.replace("'", "").replace("ü", "ue").replace(".", "").split())


def _link_skills(side, profiles: list[Profile], skill_lists: list[list[str]], skills_by_name) -> None:
    """One side of the profiles (Profile.skills or Profile.wanted_skills), by skill name."""
    through = side.through
    rows = [
        through(profile_id=profile.pk, skill_id=skills_by_name[name].pk)
        for profile, names in zip(profiles, skill_lists, strict=True)
        for name in dict.fromkeys(names)
    ]
    through.objects.bulk_create(rows, batch_size=5_000)
