"""Browser tests for the children's process (UI.md pages 6, 7, 8 and 10, the report register): register a
report → immediate protection assessment → pre-assessment decision (open an investigation) → BBIC task list
→ part page, with axe (WCAG 2.1 AA at 1280 and 375 px) on every page, with the error summary showing, and the
same flow without JavaScript (UI.md 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.accounts.models import Role
from lotsen.cases.models import Intake
from lotsen.children.models import Investigation, InvestigationPart, ProtectionAssessment
from lotsen.people.models import RelationKind
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import MembershipFactory, PersonFactory, RelationFactory

SUFFIX = " – Lotsen"


@pytest.fixture(autouse=True)
def _delegation(delegation):
    return delegation


def _child(first="Tindra", last="Berglund", born=dt.date(2015, 4, 3)):
    child = PersonFactory(first_name=first, last_name=last, birth_date=born)
    for name in ("Maja", "Jonas"):
        guardian = PersonFactory(first_name=name, last_name=last, birth_date=dt.date(1986, 2, 2))
        RelationFactory(from_person=guardian, to_person=child, kind=RelationKind.GUARDIAN_OF)
    return child


def _pnr(person) -> str:
    return f"{person.pnr[:8]}-{person.pnr[8:]}"


def _assert_private(page, *persons):
    """Neither the title nor the URL names anyone (UI.md 1.8)."""
    for p in persons:
        for value in (p.first_name, p.last_name, p.pnr, _pnr(p), p.pnr[:8]):
            assert value not in page.title()
            assert value not in page.url


def _fill_report(page, child):
    page.get_by_label("Klockslag då anmälan kom in").fill("00:00")
    page.get_by_label("Telefon", exact=True).check()
    page.get_by_label("Barnets personnummer").fill(_pnr(child))
    page.get_by_label("Skola", exact=True).check()
    page.get_by_label("Anmälarens namn").fill("Eva Ek")
    page.get_by_label("Organisation").fill("Centrumskolan")
    page.get_by_label("Anmälaren vill ha återkoppling").check()
    page.get_by_label("Vad handlar anmälan om?").fill("Tindra berättar för mentorn att pappa slår.")


def _walk_the_flow(page, base, child, *, check=None):
    """Register → protection assessment → pre-assessment → investigation → part. `check(page, name)` runs
    at every page (axe with JavaScript; nothing without)."""
    check = check or (lambda page, name: None)
    page.goto(f"{base}/barn/registrera/")
    assert page.title() == "Registrera aktualisering" + SUFFIX
    expect(page.get_by_label("År", exact=True)).to_have_value(str(timezone.localdate().year))
    _fill_report(page, child)
    page.get_by_role("button", name="Registrera anmälan").click()

    page.wait_for_url(re.compile(r"/barn/\d+/anmalan/\d+/skyddsbedomning/$"))
    intake = Intake.objects.get(case__subject=child)
    case = intake.case
    assert page.title() == f"Omedelbar skyddsbedömning – Ärende {case.number}" + SUFFIX
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Anmälan är registrerad.")
    expect(page.locator("main")).to_contain_text("Bedöm innan vårdnadshavarna kontaktas.")
    expect(page.locator("main")).to_contain_text(re.compile(r"Mottagen \d{4}-\d{2}-\d{2} kl\. 00:00 – "))
    _assert_private(page, child)
    check(page, "children-protection")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Vilka skyddsåtgärder vidtas?").fill("Barnet bor hos mormor tills vidare.")
    page.get_by_label("Bedömning", exact=True).fill("Uppgifter om våld. Barnet är tryggt hos mormor i dag.")
    page.get_by_role("button", name="Signera skyddsbedömning").click()

    page.wait_for_url(f"{base}/barn/{case.pk}/anmalan/{intake.pk}/")
    assert ProtectionAssessment.objects.filter(intake=intake, needs_immediate_protection=True).exists()
    assert page.title() == f"Förhandsbedömning – Ärende {case.number}" + SUFFIX
    main = page.locator("main")
    expect(main).to_contain_text("Skyddsbedömningen signerades av")
    expect(main).to_contain_text("1 anmälan på 6 månader")
    due = (intake.received_on + dt.timedelta(days=14)).isoformat()
    expect(main).to_contain_text(due)
    check(page, "children-pre-assessment")
    page.get_by_label("Inled utredning", exact=True).check()
    page.get_by_label("Motivering").fill("Uppgifterna om våld behöver utredas.")
    page.get_by_role("group", name="Har barnet hörts?").get_by_label("Ja").check()
    page.get_by_label("Barnets synpunkter, eller varför barnet inte har hörts").fill("Tindra vill bo kvar hemma.")
    page.get_by_role("button", name="Fatta beslut").click()

    page.wait_for_url(f"{base}/barn/{case.pk}/utredning/")
    assert page.title() == f"Utredning – Ärende {case.number}" + SUFFIX
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Beslutet är fattat. Utredningen är inledd.")
    expect(page.locator(".moj-sub-navigation [aria-current=page]")).to_have_text("Utredning")
    expect(page.locator(".govuk-task-list")).to_have_count(4)
    expect(page.locator(".govuk-task-list__item")).to_have_count(24)
    communication = page.locator(".govuk-task-list__item", has_text="Kommunicering")
    expect(communication).to_contain_text("Kan inte påbörjas än")
    check(page, "children-investigation")
    page.get_by_role("link", name="Hälsa").click()

    part = InvestigationPart.objects.get(investigation__case=case, key="health")
    page.wait_for_url(f"{base}/barn/{case.pk}/utredning/delar/{part.pk}/")
    assert page.title() == f"Hälsa – Utredning – Ärende {case.number}" + SUFFIX
    check(page, "children-investigation-part")
    page.get_by_label("Text", exact=True).fill("BVC: frisk, vaccinerad. Tandvården: inga anmärkningar.")
    page.get_by_label("Vissa behov").check()
    page.get_by_label("Källor").fill("BVC 2026-03-02, Folktandvården")
    page.get_by_label("Delen är klar").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"{base}/barn/{case.pk}/utredning/")
    expect(page.locator(".govuk-task-list__item", has_text="Hälsa")).to_contain_text("Klar")
    part.refresh_from_db()
    assert part.status == "done" and part.rating == "some"
    assert Investigation.objects.get(case=case).opened_on == timezone.localdate()
    _assert_private(page, child)
    return case, intake


def test_report_to_investigation_with_axe(page, live_server, browser_login, caseworker, axe_check):
    child = _child()
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/barn/registrera/")
    axe_check(page, "children-register")
    assert_keyboard_path(page, "Registrera anmälan")

    # The empty form: the error summary takes focus and links to the fields (UI.md 6.4).
    for label in ("År", "Månad", "Dag"):
        page.get_by_label(label, exact=True).fill("")
    page.get_by_role("button", name="Registrera anmälan").click()
    page.wait_for_load_state()
    assert page.title() == "Fel: Registrera aktualisering" + SUFFIX
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Ange datum då anmälan kom in")
    expect(summary).to_contain_text("Ange barnets personnummer")
    summary.get_by_role("link", name="Ange datum då anmälan kom in").click()
    expect(page.locator("#id_received_on")).to_be_focused()
    summary.get_by_role("link", name="Välj hur anmälan kom in").click()
    expect(page.locator("#id_channel_0")).to_be_focused()
    axe_check(page, "children-register-errors")

    # "Lägg till ytterligare barn" keeps what was typed and shows the child found, without errors.
    page.get_by_label("Barnets personnummer").fill(_pnr(child))
    page.get_by_role("button", name="Lägg till ytterligare barn").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#child-found-0")).to_contain_text("Tindra Berglund")
    expect(page.locator("#child-found-0")).to_contain_text("Maja Berglund")
    expect(page.get_by_label("Personnummer för barn 2")).to_be_visible()
    axe_check(page, "children-register-two-children")
    page.get_by_role("button", name="Ta bort barn 2").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Personnummer för barn 2")).to_have_count(0)

    case, intake = _walk_the_flow(page, live_server.url, child, check=axe_check)

    # Information to the reporter (R-INFO-1) and the printable letter.
    page.goto(f"{live_server.url}/barn/{case.pk}/anmalan/{intake.pk}/aterkoppling/")
    assert page.title() == f"Återkoppling till anmälaren – Ärende {case.number}" + SUFFIX
    expect(page.locator("main")).to_contain_text("Socialnämnden har beslutat att inleda en utredning.")
    expect(page.locator(".app-letter")).not_to_contain_text("Tindra")
    axe_check(page, "children-feedback")
    page.get_by_role("link", name="Skriv ut brevet").click()
    assert page.title() == "Brev till anmälaren" + SUFFIX
    axe_check(page, "children-feedback-letter")
    page.go_back()
    page.get_by_role("button", name="Markera som skickad").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("markerad som skickad")
    axe_check(page, "children-feedback-sent")


def test_report_to_investigation_without_javascript(
    browser, browser_context_args, live_server, browser_login, caseworker
):
    child = _child(first="Olle", last="Sandberg", born=dt.date(2012, 8, 20))
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        browser_login(page, caseworker)
        # Without JavaScript the conditional question is shown all the time.
        page.goto(f"{live_server.url}/barn/registrera/")
        case, _intake = _walk_the_flow(page, live_server.url, child)
        case.refresh_from_db()
        assert case.phase == "investigation"
    finally:
        context.close()


def test_a_report_about_two_children_and_the_receipt(page, live_server, browser_login, caseworker, axe_check):
    first, second = _child(), _child(first="Vilgot", born=dt.date(2018, 1, 9))
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/barn/registrera/")
    _fill_report(page, first)
    page.get_by_role("button", name="Lägg till ytterligare barn").click()
    page.get_by_label("Personnummer för barn 2").fill(_pnr(second))
    page.get_by_role("button", name="Registrera anmälan").click()
    page.wait_for_url(re.compile(r"/barn/registrera/[0-9a-f-]{36}/$"))
    assert page.title() == "Anmälan är registrerad" + SUFFIX
    expect(page.locator("main tbody tr")).to_have_count(2)
    _assert_private(page, first, second)
    axe_check(page, "children-register-receipt")


@pytest.fixture
def decided_cases(caseworker, unit):
    """One report that ended `inleds_ej` and one waiting for its pre-assessment."""
    from lotsen.children import services

    made = []
    for child, outcome in ((_child(), "inleds_ej"), (_child(first="Alice", born=dt.date(2016, 6, 6)), None)):
        now = timezone.now()
        [result] = services.report_register(
            actor=caseworker,
            unit=unit,
            received_at=now - dt.timedelta(hours=2),
            channel="phone",
            reporter_category="police",
            reporter_name="Polisinspektör Lind",
            reporter_organisation="Polisen",
            children=[child],
            content="Polisen har varit på adressen efter larm om bråk.",
        )
        services.protection_assessment_sign(
            actor=caseworker,
            intake=result.intake,
            needs_immediate_protection=False,
            measures="",
            assessment="Ingen akut fara.",
        )
        if outcome:
            services.pre_assessment_decide(
                actor=caseworker,
                case=result.case,
                outcome=outcome,
                reasons="Familjen har redan stöd.",
                child_heard=False,
                child_view="Barnet är för litet.",
            )
        made.append(result)
    return made


def test_report_register_and_extension_for_a_team_lead(
    page, live_server, browser_login, team_lead, decided_cases, axe_check
):
    browser_login(page, team_lead)
    page.goto(f"{live_server.url}/barn/anmalningsregister/")
    assert page.title() == "Anmälningsregister" + SUFFIX
    table = page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Utredning inleds inte")
    expect(table).to_contain_text("Inte beslutad")
    axe_check(page, "children-report-register")
    assert_keyboard_path(page, "Använd filter")

    pending = decided_cases[1]
    page.goto(f"{live_server.url}/barn/{pending.case.pk}/forhandsbedomning/forlangning/")
    assert page.title() == f"Förläng förhandsbedömningen – Ärende {pending.case.number}" + SUFFIX
    expect(page.locator("main")).to_contain_text("Arbetsbelastning eller personalbrist är inte synnerliga skäl")
    axe_check(page, "children-pre-assessment-extension")
    page.get_by_role("button", name="Besluta om förlängning").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange ny sista dag")
    axe_check(page, "children-pre-assessment-extension-errors")
    new_due = pending.intake.received_on + dt.timedelta(days=28)
    page.get_by_label("År", exact=True).fill(str(new_due.year))
    page.get_by_label("Månad").fill(str(new_due.month))
    page.get_by_label("Dag", exact=True).fill(str(new_due.day))
    page.get_by_label("Polisförhör har inte hållits").check()
    page.get_by_role("button", name="Besluta om förlängning").click()
    page.wait_for_url(f"{live_server.url}/barn/{pending.case.pk}/anmalan/{pending.intake.pk}/")
    expect(page.locator("main")).to_contain_text(f"ursprungligen {pending.intake.received_on + dt.timedelta(days=14)}")


def test_an_outsider_sees_404_and_cannot_register(page, live_server, browser_login, decided_cases, other_unit):
    outsider = MembershipFactory(unit=other_unit, role=Role.CASEWORKER).user
    other_unit.kind = "adult"
    other_unit.save()
    browser_login(page, outsider)
    result = decided_cases[1]
    response = page.goto(f"{live_server.url}/barn/{result.case.pk}/anmalan/{result.intake.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/barn/registrera/")
    assert response.status == 403
