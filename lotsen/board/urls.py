from django.urls import path

from lotsen.board import views

app_name = "board"
urlpatterns = [
    path("sammantraden/", views.meetings, name="meetings"),
]
