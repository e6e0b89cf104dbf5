from django.urls import path

from lotsen.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.period, name="review"),
    path("export/", views.export, name="export"),
    path("person/", views.by_person_lookup, name="person_lookup"),
    path("person/<int:person_id>/", views.by_person, name="person"),
    path("anvandare/", views.by_user_lookup, name="user_lookup"),
    path("anvandare/<int:user_id>/", views.by_user, name="user"),
    path("nodatkomst/", views.emergency, name="emergency"),
    path("nodatkomst/<int:access_id>/granskad/", views.review_emergency, name="review_emergency"),
    path("rad/<int:entry_id>/", views.review_entry, name="entry"),
]
