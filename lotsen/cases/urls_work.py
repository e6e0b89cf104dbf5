"""Work lists and transfers, included in the cases urls (namespace "cases", prefix /arenden/)."""

from django.urls import path

from lotsen.cases import views_work

urlpatterns = [
    path("mina/", views_work.my_cases, name="my_cases"),
    path("enheten/", views_work.unit_board, name="unit_board"),
    path("enheten/frister/", views_work.unit_deadlines, name="unit_deadlines"),
    path("ej-fordelade/", views_work.queue, name="queue"),
    path("<int:case_id>/flytta/", views_work.transfer, name="transfer"),
    path("flyttar/", views_work.transfers_incoming, name="transfers_incoming"),
    path("flyttar/<int:transfer_id>/ta-emot/", views_work.transfer_accept, name="transfer_accept"),
]
