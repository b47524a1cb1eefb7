"""Django's admin, for site staff: every list of the platform's models opens, and a row of each opens too."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from mentorship.models import ActionItem, Agreement, Meeting
from notifications.models import Notification
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

OURS = ("accounts", "programs", "mentorship", "matching", "notifications")


@pytest.mark.parametrize(
    "model",
    [model for model in admin.site._registry if model._meta.app_label in OURS],
    ids=lambda model: model._meta.label_lower,
)
def test_each_admin_list_opens_for_site_staff(model, demo_rows):
    client = Client()
    client.force_login(AdminFactory(is_superuser=True))
    url = f"/django-admin/{model._meta.app_label}/{model._meta.model_name}/"

    listed = client.get(url)
    assert listed.status_code == 200
    row = model.objects.order_by("pk").first()
    if row is not None:
        assert client.get(f"{url}{row.pk}/change/").status_code == 200


@pytest.fixture
def demo_rows(mentorship, mentor, mentee):
    """A row in the tables of the relationship, for their change pages."""
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        organiser=mentor,
        starts_at=timezone.now() + dt.timedelta(days=1),
        timezone="UTC",
        duration_minutes=30,
    )
    meeting.attendees.set([mentor, mentee])
    Agreement.objects.create(mentorship=mentorship, cadence_days=14)
    ActionItem.objects.create(mentorship=mentorship, title="Read a book", owner=mentee, created_by=mentor)
    Notification.objects.create(recipient=mentee, kind="meeting", subject="A meeting", body="Hello")
