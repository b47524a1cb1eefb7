from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import Industry, MenteeProfile, MentorProfile, Skill, User

# DRF's tokens sign nobody in any more (API tokens are knox's, under "Knox"): one made here would not work.
admin.site.unregister(TokenProxy)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "role", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("full_name", "email", "role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "full_name", "role")}),)


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "headline", "industry", "capacity", "accepting_requests")
    list_select_related = ("user", "industry")
    list_filter = ("accepting_requests", "industry")
    search_fields = ("user__full_name", "user__username", "headline")
    autocomplete_fields = ("skills",)
    raw_id_fields = ("user",)


@admin.register(MenteeProfile)
class MenteeProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "industry", "timezone")
    list_select_related = ("user", "industry")
    list_filter = ("industry",)
    search_fields = ("user__full_name", "user__username")
    autocomplete_fields = ("skills",)
    raw_id_fields = ("user",)


@admin.register(Skill, Industry)
class TaxonomyAdmin(admin.ModelAdmin):
    search_fields = ("name",)
