"""Decisions, delegation and the report of delegated decisions (namespace "cases", under /arenden/)."""

from django.urls import path

from lotsen.cases import views_decisions as views

_DECISION = "<int:case_id>/beslut/<int:decision_id>"
_SCHEME = "delegationsordning/<int:scheme_id>"

urlpatterns = [
    path("<int:case_id>/beslut/nytt/", views.decision_prepare, name="decision_prepare"),
    path(f"{_DECISION}/", views.decision_detail, name="decision_detail"),
    path(f"{_DECISION}/skicka/", views.decision_submit, name="decision_submit"),
    path(f"{_DECISION}/fatta/", views.decision_sign, name="decision_sign"),
    path(f"{_DECISION}/fattat/", views.decision_receipt, name="decision_receipt"),
    path(f"{_DECISION}/aterskicka/", views.decision_return, name="decision_return"),
    path(f"{_DECISION}/underrattelse/", views.decision_notify, name="decision_notify"),
    path(f"{_DECISION}/beslut.pdf", views.decision_letter, name="decision_letter"),
    path("att-besluta/", views.to_decide, name="to_decide"),
    path("delegationsordning/", views.delegation_schemes, name="delegation_admin"),
    path("delegationsordning/ny-version/", views.delegation_draft_create, name="delegation_draft_create"),
    path(f"{_SCHEME}/", views.delegation_scheme, name="delegation_scheme"),
    path(f"{_SCHEME}/aktivera/", views.delegation_activate, name="delegation_activate"),
    path(f"{_SCHEME}/punkt/ny/", views.delegation_rule_edit, name="delegation_rule_add"),
    path(f"{_SCHEME}/punkt/<int:rule_id>/", views.delegation_rule_edit, name="delegation_rule_edit"),
    path(f"{_SCHEME}/punkt/<int:rule_id>/ta-bort/", views.delegation_rule_delete, name="delegation_rule_delete"),
    path("delegationsbeslut/", views.delegation_report, name="delegation_report"),
    path("delegationsbeslut/pdf/", views.delegation_report_pdf, name="delegation_report_pdf"),
    path("delegationsbeslut/anmal/<int:meeting_id>/", views.delegation_report_mark, name="delegation_report_mark"),
]
