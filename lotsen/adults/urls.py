from django.urls import path

from lotsen.adults import views

app_name = "adults"
urlpatterns = [
    path("registrera/", views.register, name="register"),
    path("<int:case_id>/aktualisering/", views.intake, name="intake"),
]
