"""Swedish labels (via gettext) for deadline kinds, event types and outcomes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEADLINE_LABELS = {
    "protection_assessment": _("Immediate protection assessment"),
    "pre_assessment": _("Pre-assessment"),
    "reporter_feedback": _("Information to the reporter"),
    "investigation": _("Investigation"),
    "care_review": _("Six-monthly care review"),
}

EVENT_LABELS = {
    "case_opened": _("Case opened"),
    "case_assigned": _("Case assigned"),
    "report_received": _("Report received"),
    "protection_assessment_signed": _("Protection assessment signed"),
    "pre_assessment_extended": _("Pre-assessment extended"),
    "pre_assessment_decided": _("Pre-assessment decided"),
    "reporter_feedback_requested": _("Reporter asked for information"),
    "reporter_feedback_sent": _("Information sent to the reporter"),
    "investigation_opened": _("Investigation opened"),
    "investigation_extended": _("Investigation extended"),
    "investigation_decided": _("Investigation completed"),
    "placement_started": _("Placement started"),
    "care_reviewed": _("Care reviewed"),
    "transfer_requested": _("Transfer requested"),
    "transfer_accepted": _("Transfer accepted"),
    "phase_changed": _("Phase changed"),
    "decision_submitted": _("Decision sent to the delegate"),
    "decision_returned": _("Decision returned"),
    "decision_signed": _("Decision made"),
    "journal_signed": _("Journal entry signed"),
    "document_added": _("Document added"),
    "intervention_started": _("Intervention started"),
    "intervention_ended": _("Intervention ended"),
    "case_closed": _("Case closed"),
    "intake_registered": _("Intake registered"),
    "intake_assessed": _("Intake assessed"),
    "placement_ended": _("Placement ended"),
    "placement_visited": _("Placement visit"),
    "payments_planned": _("Payments planned"),
    "application_received": _("Application for financial assistance received"),
    "completion_requested": _("Completion requested"),
    "completion_answered": _("Completion received"),
    "recovery_registered": _("Recovery registered"),
    "decision_served": _("Decision served"),
    "decision_notified": _("The person was notified of the decision"),
}

OUTCOME_LABELS = {
    "utredning_inleds": _("Investigation opened"),
    "inleds_ej": _("Investigation not opened"),
    "pafors_pagaende": _("Linked to an ongoing investigation"),
    "overlamnad": _("Handed over"),
    "granted": _("Granted"),
    "partly_granted": _("Partly granted"),
    "rejected": _("Rejected"),
    "closed_without_intervention": _("The investigation is closed without intervention"),
    "care_continues": _("Care continues"),
    "care_ends": _("Care ends"),
}
