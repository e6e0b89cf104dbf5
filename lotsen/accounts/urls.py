from django.urls import path

from lotsen.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("tvafaktor/", views.otp_verify, name="otp_verify"),
    path("tvafaktor/ny/", views.otp_setup, name="otp_setup"),
    path("mitt-konto/", views.account, name="account"),
    path("byt-enhet/", views.switch_unit_view, name="switch_unit"),
]
