from django.urls import path

from lotsen.interventions import views

app_name = "interventions"
urlpatterns = [
    path("ej-verkstallda/", views.unexecuted, name="unexecuted"),
    path("<int:case_id>/", views.case_list, name="list"),
    path("<int:case_id>/beslut/<int:decision_id>/verkstall/", views.start, name="start"),
    path("<int:case_id>/beslut/<int:decision_id>/drojsmal/", views.delay, name="delay"),
    path("<int:case_id>/insats/<int:intervention_id>/avsluta/", views.end, name="end"),
    path("<int:case_id>/placering/<int:intervention_id>/overvagande/", views.care_review, name="care_review"),
    path("<int:case_id>/placering/<int:intervention_id>/besok/", views.visit, name="visit"),
    path("<int:case_id>/placering/<int:intervention_id>/planer/", views.plans, name="plans"),
]
