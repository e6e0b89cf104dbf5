from django.urls import path

from lotsen.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("halsa/", views.health, name="health"),
]
