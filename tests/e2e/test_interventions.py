"""Browser tests for Insatser och placeringar (UI.md page 15) and the unit's Ej verkställda beslut (R-VERK-1):
axe (WCAG 2.1 AA at 1280 and 375 px) on every page, with the error summary showing, Swedish titles without
names, the keyboard path, and the flow: carry out a placement decision, record a visit, plans and a care
review, give a reason for a delay, end the placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.cases import services as cases
from lotsen.interventions.models import CareReview, Intervention, Visit
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import PersonFactory, PriceAgreementFactory, ProviderFactory


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _sign(case, *, preparer, signer, type, decided_on):
    decision = cases.decision_prepare(
        actor=preparer, case=case, type=type, outcome="granted", decision_text="Insatsen beviljas.",
        reasons="Barnet behöver stödet.", person_view="Barnet och vårdnadshavarna samtycker.",
    )  # fmt: skip
    return cases.decision_sign(actor=signer, decision=decision, decided_on=decided_on)


@pytest.fixture
def case_with_decisions(caseworker, team_lead, unit_manager, unit, delegation):
    PriceAgreementFactory(provider=ProviderFactory(name="HVB Björken AB"), service="hvb")
    child = PersonFactory(first_name="Nora", last_name="Placeradsson", birth_date=dt.date(2011, 4, 2))
    case = cases.case_open(actor=caseworker, subject=child, process_code="child", unit=unit, opened_on=_days_ago(200))
    cases.phase_change(actor=caseworker, case=case, to_phase="investigation", occurred_on=_days_ago(190))
    placement = _sign(case, preparer=caseworker, signer=unit_manager, type="placement_hvb", decided_on=_days_ago(2))
    waiting = _sign(case, preparer=caseworker, signer=team_lead, type="contact_person", decided_on=_days_ago(120))
    return case, placement, waiting


def _assert_title(page, title: str, case, *, error: bool = False) -> None:
    expected = ("Fel: " if error else "") + f"{title} – Ärende {case.number} – Lotsen"
    assert page.title() == expected
    for value in (case.subject.first_name, case.subject.last_name, case.subject.pnr):
        assert value not in page.title() and value not in page.url


def test_interventions_page_and_its_forms(page, live_server, browser_login, caseworker, case_with_decisions,
                                         axe_check):  # fmt: skip
    case, placement, waiting = case_with_decisions
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/insatser/{case.pk}/")
    _assert_title(page, "Insatser och placeringar", case)
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Insatser och placeringar")
    expect(page.get_by_role("navigation", name="Ärendets delar").locator("[aria-current=page]")).to_have_text(
        "Insatser"
    )
    expect(main).to_contain_text("Ej verkställd")  # the contact person, decided 120 days ago (R-VERK-1)
    axe_check(page, "interventions-list")
    assert_keyboard_path(page, f"Verkställ beslut {placement.number}")

    # Carry out the placement decision: the error summary first, then success.
    page.get_by_role("link", name=f"Verkställ beslut {placement.number}").click()
    _assert_title(page, "Verkställ beslut", case)
    axe_check(page, "interventions-start")
    page.get_by_role("button", name="Verkställ beslut").click()
    _assert_title(page, "Verkställ beslut", case, error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Välj placeringsform")
    expect(summary).to_contain_text("Välj utförare")
    summary.get_by_role("link", name="Välj utförare").click()
    expect(page.locator("#id_provider")).to_be_focused()
    axe_check(page, "interventions-start-errors")
    page.get_by_label("HVB (hem för vård eller boende)").check()
    page.get_by_label("Utförare").select_option(label="HVB Björken AB")
    page.get_by_label("Ansvarig socialsekreterare").select_option(label=caseworker.display_name)
    page.get_by_role("button", name="Verkställ beslut").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Beslutet är verkställt.")
    card = page.locator(".govuk-summary-card", has_text="Placering: HVB")
    expect(card).to_contain_text("Dygnspris")
    expect(card).to_contain_text("4\u202f200\u00a0kr")
    expect(card).to_contain_text("Nästa övervägande")
    axe_check(page, "interventions-list-placement")
    intervention = Intervention.objects.get(decision=placement)

    # Visit (R-VARD-5).
    card.get_by_role("link", name="Registrera besök").click()
    _assert_title(page, "Registrera besök", case)
    axe_check(page, "interventions-visit")
    page.get_by_label("Jag talade enskilt med barnet").check()
    page.get_by_role("button", name="Registrera besök").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Besöket är registrerat.")
    assert Visit.objects.filter(placement_id=intervention.pk, spoke_alone=True).exists()

    # Care plan and implementation plan (R-VARD-2).
    page.locator(".govuk-summary-card").get_by_role("link", name="Registrera planer").click()
    _assert_title(page, "Registrera planer", case)
    page.locator("#id_care_plan_on").fill("2026")
    page.locator("#id_care_plan_on-month").fill("2")
    page.locator("#id_care_plan_on-day").fill("30")
    page.get_by_role("button", name="Spara planerna").click()
    _assert_title(page, "Registrera planer", case, error=True)
    expect(page.locator("#id_care_plan_on-error")).to_contain_text("Datum för vårdplanen måste vara ett riktigt datum")
    axe_check(page, "interventions-plans-errors")
    page.locator("#id_care_plan_on").fill(timezone.localdate().isoformat())
    page.locator("#id_care_plan_on-month").fill("")
    page.locator("#id_care_plan_on-day").fill("")
    page.get_by_role("button", name="Spara planerna").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Planerna är sparade.")

    # Care review by the committee (R-VARD-1).
    page.locator(".govuk-summary-card").get_by_role("link", name="Registrera övervägande").click()
    _assert_title(page, "Registrera övervägande", case)
    axe_check(page, "interventions-care-review")
    page.get_by_role("button", name="Registrera övervägande").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange utskottets paragraf eller diarienummer")
    axe_check(page, "interventions-care-review-errors")
    today = timezone.localdate()
    page.locator("#id_reviewed_on").fill(str(today.year))
    page.locator("#id_reviewed_on-month").fill(str(today.month))
    page.locator("#id_reviewed_on-day").fill(str(today.day))
    page.get_by_label("Utskottets paragraf eller diarienummer").fill("IU § 45")
    page.get_by_label("Vården fortsätter oförändrad").check()
    page.get_by_role("button", name="Registrera övervägande").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Övervägandet är registrerat.")
    assert CareReview.objects.filter(placement_id=intervention.pk, committee_reference="IU § 45").exists()

    # The reason why the contact person has not been provided (R-VERK-1).
    page.get_by_role("link", name=f"Ange skäl till dröjsmålet för beslut {waiting.number}").click()
    _assert_title(page, "Ange skäl till dröjsmålet", case)
    axe_check(page, "interventions-delay")
    page.get_by_label("Varför har beslutet inte verkställts?").fill("Ingen lämplig kontaktperson har hittats.")
    page.get_by_role("button", name="Spara skälet").click()
    expect(page.locator("main")).to_contain_text("Ingen lämplig kontaktperson har hittats.")

    # End the placement.
    page.get_by_role("link", name=f"Avsluta placering Placering, beslut {placement.number}").click()
    _assert_title(page, "Avsluta insats", case)
    axe_check(page, "interventions-end")
    page.get_by_label("Målen är uppnådda eller insatsen har nått sitt planerade slut").check()
    page.get_by_role("button", name="Avsluta insats").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Placeringen är avslutad.")
    expect(page.locator("main table")).to_contain_text("Avslutad")
    intervention.refresh_from_db()
    assert intervention.end_on == timezone.localdate()


def test_unexecuted_decisions_for_the_unit_manager(page, live_server, browser_login, unit_manager,
                                                   case_with_decisions, axe_check):  # fmt: skip
    case, _placement, waiting = case_with_decisions
    browser_login(page, unit_manager)
    page.goto(f"{live_server.url}/insatser/ej-verkstallda/")
    assert page.title() == "Ej verkställda beslut – Lotsen"
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Ej verkställda beslut")
    expect(main.locator("table").first).to_contain_text(case.number)
    expect(main.locator("table").first).to_contain_text(waiting.number)
    axe_check(page, "interventions-unexecuted")
    assert_keyboard_path(page, "Visa kvartal")
    page.get_by_label("Kvartal").select_option(index=0)
    page.get_by_role("button", name="Visa kvartal").click()
    expect(main).to_contain_text("Referensdatum")
    for value in (case.subject.first_name, case.subject.last_name):
        assert value not in page.content()
