from evaluation.api import report, skill_ratings, surveys, weights

urlpatterns = [*surveys.urlpatterns, *skill_ratings.urlpatterns, *report.urlpatterns, *weights.urlpatterns]
