from django.urls import path

from lotsen.cases import urls_decisions, urls_work, views

app_name = "cases"
urlpatterns = [
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/beslut/", views.decisions, name="decisions"),
    path("<int:case_id>/handelser/", views.events, name="events"),
    path("<int:case_id>/avsluta/", views.close, name="close"),
    *urls_decisions.urlpatterns,
    *urls_work.urlpatterns,
]
