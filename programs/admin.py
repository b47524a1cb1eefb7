from django.contrib import admin

from programs.models import AdminAction, Membership, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "format", "kind", "enrollment", "starts_on", "ends_on")
    list_filter = ("format", "kind", "enrollment")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Day-to-day work with members is on the program's participants page; here they are read and mended."""

    list_display = ("user", "program", "role", "status", "capacity", "accepting_requests")
    list_filter = ("program", "role", "status")
    list_select_related = ("user", "program")
    search_fields = ("user__full_name", "user__username", "user__email")
    raw_id_fields = ("user", "invited_by")


@admin.register(AdminAction)
class AdminActionAdmin(admin.ModelAdmin):
    """The record of what program admins did: read-only, for everyone who may see it."""

    list_display = ("at", "actor", "program", "kind", "target")
    list_filter = ("program", "kind")
    list_select_related = ("actor",)
    search_fields = ("target", "actor__username", "actor__full_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
