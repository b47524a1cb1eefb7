from django.contrib import admin

from evaluation.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0
    fields = ("position", "kind", "text", "choices", "required")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "audience", "trigger", "min_responses", "created_at", "closed_at")
    list_filter = ("program", "audience", "trigger")
    list_select_related = ("program",)
    search_fields = ("title",)
    raw_id_fields = ("created_by",)
    inlines = [SurveyQuestionInline]


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0
    fields = ("question", "number", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Read-only: answers are what people said, anonymous by construction (side and day, never who); nobody edits
    them, and one answer alone is below any survey's minimum, so only site staff see this list."""

    list_display = ("survey", "side", "submitted_on")
    list_filter = ("side", "survey__program")
    list_select_related = ("survey",)
    inlines = [SurveyAnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
