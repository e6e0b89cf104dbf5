from django.urls import path

from lotsen.eservices import views

app_name = "eservices"
urlpatterns = [
    path("", views.start, name="start"),
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", views.logout, name="logout"),
    path("mina-sidor/", views.home, name="home"),
    path("ansok/", views.apply, name="apply"),
    path("ansok/uppgifter/", views.tasks, name="tasks"),
    path("ansok/andrat/<slug:section>/", views.changed, name="changed"),
    path("ansok/kontrollera/", views.check, name="check"),
    path("ansok/fraga/<slug:step>/", views.step, name="step"),
    path("ansokan/<int:application_id>/", views.application, name="application"),
    path("ansokan/<int:application_id>/skickad/", views.sent, name="sent"),
    path("beslut/<int:decision_id>/", views.decision, name="decision"),
    path("beslut/<int:decision_id>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("bilagor/<int:attachment_id>/", views.attachment, name="attachment"),
]
