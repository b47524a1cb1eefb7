from django.contrib import admin

from mentorship.models import (
    ActionItem,
    Agreement,
    Feedback,
    Goal,
    Meeting,
    Mentorship,
    MentorshipMember,
    MentorshipRequest,
    Milestone,
    Session,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "mentee", "status", "target_date")
    list_filter = ("status",)
    list_select_related = ("mentee",)
    search_fields = ("title", "mentee__full_name", "mentee__username")
    raw_id_fields = ("mentee",)
    autocomplete_fields = ("skills",)
    inlines = [MilestoneInline]


@admin.register(MentorshipRequest)
class MentorshipRequestAdmin(admin.ModelAdmin):
    list_display = ("mentee", "mentor", "program", "status", "origin", "created_at", "expires_at")
    list_filter = ("program", "status", "origin", "decline_reason")
    list_select_related = ("mentee", "mentor")
    search_fields = ("mentee__full_name", "mentor__full_name")
    raw_id_fields = ("mentee", "mentor", "goals")
    # State changes go through the API's services (accept locks capacity); here they are read-only.
    readonly_fields = ("status", "responded_at", "close_reason")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("date", "duration_minutes", "notes")


class MemberInline(admin.TabularInline):
    model = MentorshipMember
    extra = 0
    fields = ("user", "role", "status", "joined_at", "left_at")
    raw_id_fields = ("user",)
    # Joining and leaving go through the services (capacity is counted under locks).
    readonly_fields = ("role", "status", "joined_at", "left_at")


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ("id", "mentor", "format", "program", "status", "started_at", "ended_at")
    list_filter = ("program", "format", "status")
    list_select_related = ("mentor", "program")
    search_fields = ("members__user__full_name", "mentor__full_name")
    raw_id_fields = ("mentor", "request", "ended_by")
    readonly_fields = ("format", "status", "started_at", "ended_at", "ended_by")
    inlines = [MemberInline, SessionInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("session", "author", "rating", "created_at")
    list_filter = ("rating",)
    list_select_related = ("session", "author")
    raw_id_fields = ("session", "author")


# The relationship (issue 14). Meetings change through the services, which send the calendar updates: read-only
# here. Messages are not listed at all: a conversation is its people's (program admins do not read it either).
@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("id", "mentorship", "organiser", "starts_at", "timezone", "status", "sequence")
    list_filter = ("status",)
    list_select_related = ("mentorship", "organiser")
    raw_id_fields = ("mentorship", "organiser", "attendees", "session")
    readonly_fields = [field.name for field in Meeting._meta.fields]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("mentorship", "cadence_days", "channel", "ends_on", "version", "updated_at")
    list_select_related = ("mentorship",)
    raw_id_fields = ("mentorship", "edited_by")
    readonly_fields = ("version",)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "mentorship", "owner", "due_on", "done")
    list_filter = ("done",)
    list_select_related = ("mentorship", "owner")
    search_fields = ("title", "owner__full_name")
    raw_id_fields = ("mentorship", "owner", "created_by", "session")
