"""pain.001.001.09 generation and validation against the XSD shipped in sepaxml (pure, no database)."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from lotsen.payments import pain001

NS = {"p": pain001.NAMESPACE}
DEBTOR = pain001.Debtor(name="Exempelby kommun", org_number="2120009994", bankgiro="99123457", bic="NDEASESS")
TRANSFERS = [
    pain001.CreditTransfer("LOTSEN-P1", Decimal("6920.00"), "Åsa Öberg", "bank_account", "3300", "8112189876",
                           "Ekonomiskt bistånd 2026-03"),
    pain001.CreditTransfer("LOTSEN-P2", Decimal("6500"), "Bostads AB <Ängen> & Co", "bankgiro", "", "50501055",
                           "Hyra april 2026"),
]  # fmt: skip


def build(transfers=TRANSFERS, **kwargs):
    args = {
        "message_id": "LOTSEN-20260325-00001",
        "created_at": dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC),
        "execution_date": dt.date(2026, 3, 25),
        "debtor": DEBTOR,
        "transfers": transfers,
    } | kwargs
    return pain001.build_document(**args)


def test_the_xsd_is_the_one_shipped_in_sepaxml():
    path = pain001.schema_path()
    assert path.endswith("sepaxml/schemas/pain.001.001.09.xsd")
    from lxml import etree

    assert etree.parse(path).getroot().get("targetNamespace") == pain001.NAMESPACE
    assert pain001.schema() is pain001.schema()  # compiled once


def test_a_valid_file_passes_the_xsd_and_has_the_right_content():
    xml = build()
    assert pain001.validation_errors(xml) == []
    pain001.check(xml)
    root = ET.fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "13420.00"
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS) == "2026-03-25"
    assert info.findtext("p:DbtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "99123457"
    assert info.findtext("p:DbtrAcct/p:Ccy", namespaces=NS) == "SEK"
    first, second = info.findall("p:CdtTrfTxInf", NS)
    assert first.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == "LOTSEN-P1"
    assert first.find("p:Amt/p:InstdAmt", NS).attrib == {"Ccy": "SEK"}
    assert first.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "6920.00"
    assert first.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "33008112189876"
    assert first.findtext("p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd", namespaces=NS) == "BBAN"
    assert first.findtext("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", namespaces=NS) == "3300"
    assert first.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Åsa Öberg"
    assert second.findtext("p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Prtry", namespaces=NS) == "BGNR"
    assert second.findtext("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", namespaces=NS) == "9900"
    assert second.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Bostads AB <Ängen> & Co"  # escaped in the file


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (b"<PmtMtd>TRF</PmtMtd>", "PmtMtd"),
        (b'<InstdAmt Ccy="SEK">6920.00</InstdAmt>', "InstdAmt"),
        (b"<ReqdExctnDt><Dt>2026-03-25</Dt></ReqdExctnDt>", "ReqdExctnDt"),
    ],
)
def test_a_broken_file_fails_the_xsd(broken, expected):
    xml = build()
    replacement = {
        "PmtMtd": b"<PmtMtd>XYZ</PmtMtd>",
        "InstdAmt": b'<InstdAmt Ccy="SEK">-6920.00</InstdAmt>',
        "ReqdExctnDt": b"<ReqdExctnDt><Dt>25/03/2026</Dt></ReqdExctnDt>",
    }[expected]
    bad = xml.replace(broken, replacement, 1)
    assert bad != xml
    errors = pain001.validation_errors(bad)
    assert errors and any(expected in e for e in errors)
    with pytest.raises(pain001.Pain001Error):
        pain001.check(bad)


def test_missing_element_and_not_well_formed_fail():
    xml = build()
    without_debtor = xml.replace(b"<Dbtr>", b"<Xbtr>", 1).replace(b"</Dbtr>", b"</Xbtr>", 1)
    assert pain001.validation_errors(without_debtor)
    assert pain001.validation_errors(xml[:-20])[0].startswith("not well-formed")


def test_build_refuses_empty_and_non_positive_batches():
    with pytest.raises(pain001.Pain001Error, match="no transactions"):
        build(transfers=[])
    negative = pain001.CreditTransfer("LOTSEN-P3", Decimal("-1"), "X", "bankgiro", "", "50501055")
    with pytest.raises(pain001.Pain001Error, match="positive"):
        build(transfers=[negative])
    with pytest.raises(pain001.Pain001Error, match="two decimals"):
        build(transfers=[pain001.CreditTransfer("LOTSEN-P4", Decimal("1.005"), "X", "bankgiro", "", "50501055")])


def test_long_names_and_messages_are_cut_to_the_banks_limits():
    long = pain001.CreditTransfer("LOTSEN-P5", Decimal("1"), "N" * 300, "bankgiro", "", "50501055", "M" * 300)
    xml = build(transfers=[long])
    assert pain001.validation_errors(xml) == []
    assert b"N" * 70 + b"<" in xml and b"M" * 140 + b"<" in xml
