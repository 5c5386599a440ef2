"""Renal dialysis (NRD): modality, access, blood-borne virus and age -> LD/LE HRGs;
leading zeros significant; UZ14 when no rule holds (mini design)."""

from conftest import hrgs, messages


def session(**kw):
    return {"RENALMOD": "01", "RENALSITE": "01", "RENALACCESS": "03", "HBV": "NEG",
            "HCV": "NEG", "HIV": "NEG", "AGE": "60", **kw}


def test_decision_list_and_age_splits(group_ds):
    r = group_ds("NRD", [
        session(),                                   # catheter -> LD01, adult -> LD01A
        session(AGE="12"),                           # LD01B
        session(RENALACCESS="01"),                   # fistula -> LD02A
        session(HCV="POS"),                          # blood-borne virus -> LD03A
        session(HIV="POS", AGE="18"),                # LD03B
        session(HBV="UNK", RENALACCESS=""),          # UNK is not positive; no access -> LD01A
        session(RENALMOD="09", AGE="19"),            # acute -> LE01A
    ])
    assert hrgs(r) == ["LD01A", "LD01B", "LD02A", "LD03A", "LD03B", "LD01A", "LE01A"]
    assert r.quality.num_rows == 0


def test_leading_zeros_significant_and_uz14(group_ds):
    r = group_ds("NRD", [session(RENALMOD="1"), session(RENALACCESS="3"),
                         session(RENALMOD="04"), session(HBV="pos"), session(RENALSITE="")])
    assert hrgs(r) == ["UZ01Z"] * 5
    assert messages(r) == [
        (1, "RENALMOD", "1", "Renal Treatment Modality is invalid"),
        (2, "RENALACCESS", "3", "Renal Dialysis Access Type is invalid"),
        (3, "RENALMOD", "04", "UZ14 - Renal (NRD) Error"),
        (4, "HBV", "pos", "Hepatitis B Status is invalid"),
        (5, "RENALSITE", "", "Renal Treatment Supervision is blank")]
