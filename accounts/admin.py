from contextlib import suppress

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts import taxonomy
from accounts.models import Industry, Profile, Skill, User

# DRF's tokens sign nobody in any more (API tokens are knox's, under "Knox"): one made here would not work.
admin.site.unregister(TokenProxy)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_active")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("full_name", "email")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "full_name")}),)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "headline", "industry", "timezone")
    list_select_related = ("user", "industry")
    list_filter = ("industry",)
    search_fields = ("user__full_name", "user__username", "headline")
    autocomplete_fields = ("skills", "wanted_skills")
    raw_id_fields = ("user",)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """Suggestions are reviewed on the program admins' Skills page (approve, merge, reject), which keeps the
    profiles and goals that name them right; here they are told apart and may be approved in bulk."""

    list_display = ("name", "status", "suggested_by", "suggested_at")
    list_filter = ("status",)
    list_select_related = ("suggested_by",)
    search_fields = ("name",)
    raw_id_fields = ("suggested_by",)
    actions = ["approve"]

    @admin.action(description="Approve the selected suggestions")
    def approve(self, request, queryset):
        for suggestion_id in queryset.filter(status=Skill.Status.SUGGESTED).values_list("pk", flat=True):
            with suppress(Skill.DoesNotExist):  # reviewed by someone else meanwhile
                taxonomy.skill_suggestion_approve(suggestion_id=suggestion_id, by=request.user)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    search_fields = ("name",)
