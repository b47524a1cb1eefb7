from django.contrib import admin

from matching.models import MatchProposal, MatchRound


@admin.register(MatchRound)
class MatchRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "status", "mode", "created_by", "created_at", "published_at")
    list_filter = ("program", "status", "mode")
    list_select_related = ("created_by",)
    # Rounds change through their services (claim, publish once); here they are read.
    readonly_fields = [f.name for f in MatchRound._meta.fields]


@admin.register(MatchProposal)
class MatchProposalAdmin(admin.ModelAdmin):
    list_display = ("round", "mentee", "mentor", "score")
    list_select_related = ("round", "mentee", "mentor")
    raw_id_fields = ("round", "mentee", "mentor", "proposed_mentor", "overridden_by", "request")
    readonly_fields = ("score", "explanation")
