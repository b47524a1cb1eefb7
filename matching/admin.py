from django.contrib import admin

from matching.models import AdminAction, MatchProposal, MatchRound


@admin.register(MatchRound)
class MatchRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "mode", "created_by", "created_at", "published_at")
    list_filter = ("status", "mode")
    list_select_related = ("created_by",)
    # Rounds change through their services (claim, publish once); here they are read.
    readonly_fields = [f.name for f in MatchRound._meta.fields]


@admin.register(MatchProposal)
class MatchProposalAdmin(admin.ModelAdmin):
    list_display = ("round", "mentee", "mentor", "score")
    list_select_related = ("round", "mentee", "mentor")
    raw_id_fields = ("round", "mentee", "mentor", "proposed_mentor", "overridden_by", "request")
    readonly_fields = ("score", "explanation")


@admin.register(AdminAction)
class AdminActionAdmin(admin.ModelAdmin):
    """The record of what program admins did: read-only, for everyone who may see it."""

    list_display = ("at", "actor", "kind", "target")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    search_fields = ("target", "actor__username", "actor__full_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
