from django.urls import path

from lotsen.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("<int:reminder_id>/last/", views.mark_read, name="mark_read"),
    path("alla-lasta/", views.mark_all_read, name="mark_all_read"),
]
