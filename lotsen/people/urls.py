from django.urls import path

from lotsen.people import views

app_name = "people"
urlpatterns = [
    path("sok/", views.search, name="search"),
    path("nodatkomst/", views.emergency_access, name="emergency_access"),
    path("<int:person_id>/", views.detail, name="detail"),
]
