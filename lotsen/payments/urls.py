from django.urls import path

from lotsen.payments import views, views_statistics

app_name = "payments"
urlpatterns = [
    path("", views.index, name="index"),
    path("arende/<int:case_id>/", views.case_payments, name="case"),
    path("arende/<int:case_id>/konto/", views.payee_account, name="payee_account"),
    path("arende/<int:case_id>/planera/", views.plan, name="plan"),
    path("arende/<int:case_id>/beslut/<int:decision_id>/skapa/", views.plan_from_decision, name="plan_from_decision"),
    path("arende/<int:case_id>/beslut/<int:decision_id>/delgivning/", views.served, name="served"),
    path("arende/<int:case_id>/aterkrav/nytt/", views.recovery_new, name="recovery_new"),
    path("utbetalning/<int:payment_id>/stoppa/", views.cancel, name="cancel"),
    path("utbetalning/<int:payment_id>/rattelse/", views.correct, name="correct"),
    path("utbetalning/<int:payment_id>/retur/", views.payment_return, name="return"),
    path("omgangar/", views.batches, name="batches"),
    path("omgangar/<int:batch_id>/", views.batch_detail, name="batch"),
    path("omgangar/<int:batch_id>/godkann/", views.batch_approve, name="batch_approve"),
    path("omgangar/<int:batch_id>/skapa-fil/", views.batch_export, name="batch_export"),
    path("omgangar/<int:batch_id>/fil/", views.batch_file, name="batch_file"),
    path("omgangar/<int:batch_id>/ta-bort/", views.batch_discard, name="batch_discard"),
    path("omgangar/<int:batch_id>/utbetald/", views.batch_paid, name="batch_paid"),
    path("aterkrav/", views.recoveries, name="recoveries"),
    path("aterkrav/<int:recovery_id>/", views.recovery_detail, name="recovery"),
    path("aterkrav/<int:recovery_id>/inbetalning/", views.recovery_repayment, name="recovery_repayment"),
    path("aterkrav/<int:recovery_id>/eftergift/", views.recovery_waive, name="recovery_waive"),
    path("aterkrav/<int:recovery_id>/talan/", views.recovery_court, name="recovery_court"),
    path("statistik/", views_statistics.statistics_page, name="statistics"),
    path("statistik/<int:submission_id>/fil/", views_statistics.submission_file, name="statistics_file"),
]
