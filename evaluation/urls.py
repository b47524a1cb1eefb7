from evaluation import report_views, skill_views, survey_views, weight_views

urlpatterns = [
    *survey_views.urlpatterns,
    *skill_views.urlpatterns,
    *report_views.urlpatterns,
    *weight_views.urlpatterns,
]
