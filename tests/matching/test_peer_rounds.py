"""A peer program's round: waiting peers paired in a general graph (each at most once, never with a partner or
someone who declined them), explained both ways, published as proposals both peers must accept."""

import pytest
from django.core import mail

from accounts.search import profile_search_refresh
from matching.models import MatchProposal
from mentorship.models import Mentorship, MentorshipRequest
from programs.models import Membership, Program
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProgramFactory, RequestFactory, SkillFactory, UserFactory

URL = "/api/v1/programs/peers/match-rounds/"
PEOPLE = {  # username: (can teach, wants to grow)
    "ana": (["Python"], ["Design"]),
    "ben": (["Design"], ["Python"]),
    "cy": (["SQL"], ["Excel"]),
    "di": (["Excel"], ["SQL"]),
    "ed": (["Cooking"], ["Gardening"]),
}


@pytest.fixture
def peers(db):
    program = ProgramFactory(slug="peers", name="Peers", format=Program.Format.PEER)
    people = {"program": program}
    for name, (teaches, wants) in PEOPLE.items():
        user = UserFactory(username=name, full_name=name.title())
        MembershipFactory(user=user, program=program, role=Membership.Role.PEER)
        user.profile.skills.set([SkillFactory(name=s) for s in teaches])
        user.profile.wanted_skills.set([SkillFactory(name=s) for s in wants])
        people[name] = user
    profile_search_refresh(user_ids=[u.pk for u in people.values() if not isinstance(u, Program)])
    return people


def run(client, capture, **body):
    with capture(execute=True):
        response = client.post(URL, {"name": "Pairs", **body}, format="json")
    assert response.status_code == 202, response.json()
    return response.json()["id"]


def pairs_of(round_id) -> set[frozenset]:
    proposals = MatchProposal.objects.filter(round_id=round_id).select_related("mentee", "mentor")
    return {frozenset((p.mentee.username, p.mentor.username)) for p in proposals}


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_a_peer_round_pairs_those_who_can_help_each_other_and_leaves_the_odd_one_out(
    mode, peers, admin_client_api, django_capture_on_commit_callbacks
):
    round_id = run(admin_client_api, django_capture_on_commit_callbacks, mode=mode)

    body = admin_client_api.get(f"{URL}{round_id}/").json()
    assert body["status"] == "proposed", body
    assert pairs_of(round_id) == {frozenset({"ana", "ben"}), frozenset({"cy", "di"})}
    assert body["stats"]["unmatched"] == {"no_candidate": 1}  # Ed's cooking and gardening meet nobody's
    left_out = admin_client_api.get(f"{URL}{round_id}/unmatched/").json()["results"]
    assert [(u["mentee"]["id"], u["reason"]) for u in left_out] == [(peers["ed"].pk, "no_candidate")]
    ana_ben = MatchProposal.objects.get(round_id=round_id, mentee=peers["ana"])
    assert ana_ben.explanation["a_helps_b"]["shared_skills"] == ["Python"]
    assert ana_ben.explanation["b_helps_a"]["shared_skills"] == ["Design"]


def test_partners_and_declined_peers_are_never_paired_again(
    peers, admin_client_api, django_capture_on_commit_callbacks
):
    RequestFactory(program=peers["program"], mentee=peers["ana"], mentor=peers["ben"], status="declined")

    round_id = run(admin_client_api, django_capture_on_commit_callbacks)

    assert frozenset({"ana", "ben"}) not in pairs_of(round_id)


def test_publishing_a_peer_round_asks_both_peers_and_the_pair_starts_when_both_accept(
    peers, admin_client_api, django_capture_on_commit_callbacks
):
    round_id = run(admin_client_api, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = admin_client_api.post(f"{URL}{round_id}/publish/")

    assert published.status_code == 200, published.json()
    assert published.json()["stats"]["published"] == 2
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == ["ana", "ben", "cy", "di"]
    assert "Ana can help Ben with Python; Ben can help Ana with Design" in next(
        m.body for m in mail.outbox if m.to == [peers["ana"].email]
    )
    offer = MentorshipRequest.objects.get(mentee=peers["ana"], mentor=peers["ben"])
    assert offer.origin == "match_round"

    first = client_for(peers["ben"]).post(f"/api/v1/requests/{offer.pk}/accept/")
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["mentorship"]) == ("pending", None)
    assert first.json()["recipient_accepted_at"] is not None
    second = client_for(peers["ana"]).post(f"/api/v1/requests/{offer.pk}/accept/")
    assert second.json()["status"] == "accepted"
    pair = Mentorship.objects.get(pk=second.json()["mentorship"])
    assert (pair.format, sorted(p.username for p in pair.people())) == ("peer", ["ana", "ben"])

    declined = MentorshipRequest.objects.get(mentee=peers["cy"], mentor=peers["di"])
    assert client_for(peers["cy"]).post(f"/api/v1/requests/{declined.pk}/decline/").status_code == 200
    declined.refresh_from_db()
    assert declined.status == "declined"


def test_publishing_skips_a_pair_whose_peer_found_a_partner_meanwhile(
    peers, admin_client_api, django_capture_on_commit_callbacks
):
    round_id = run(admin_client_api, django_capture_on_commit_callbacks)
    RequestFactory(program=peers["program"], mentee=peers["cy"], mentor=peers["ed"])

    stats = admin_client_api.post(f"{URL}{round_id}/publish/").json()["stats"]

    assert (stats["published"], stats["skipped_reasons"]) == (1, {"peer_unavailable": 1})


def test_a_peer_round_is_reviewed_as_pairs_and_its_pairs_are_not_changed_one_by_one(
    peers, admin_user, admin_client_api, client, django_capture_on_commit_callbacks
):
    round_id = run(admin_client_api, django_capture_on_commit_callbacks)
    proposal = MatchProposal.objects.get(round_id=round_id, mentee=peers["ana"])

    candidates = admin_client_api.get(f"{URL}{round_id}/proposals/{proposal.pk}/candidates/")
    override = admin_client_api.patch(f"{URL}{round_id}/proposals/{proposal.pk}/", {"mentor": peers["ed"].pk})
    assert (candidates.status_code, candidates.json()["code"]) == (409, "peer_round")
    assert (override.status_code, override.json()["code"]) == (409, "peer_round")
    proposal.refresh_from_db()
    assert proposal.mentor == peers["ben"]

    client.force_login(admin_user)
    page = client.get(f"/rounds/{round_id}/?program=peers")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'Ana <span class="proposal-with">and</span> Ben' in html
    assert "Ana can help Ben with Python; Ben can help Ana with Design." in html
    assert "Change mentor" not in html
    assert "Left without a partner" in html
    assert "No peer they may pair with shares a wanted skill, goal, industry or language with them." in html
