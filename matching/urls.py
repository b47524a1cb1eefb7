from django.urls import path

from matching import views

urlpatterns = [
    path("rounds/", views.round_list, name="round-list-page"),
    path("rounds/<id:round_id>/", views.round_detail, name="round-page"),
    path("import/", views.participants_import, name="import-page"),
]
