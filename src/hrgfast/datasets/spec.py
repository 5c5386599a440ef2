"""The input fields and output files of the six record datasets (NAC, EM, ACC, PCC, NCC,
NRD), from the official grouper's documentation (dossier §1.2-1.9, §2.2-2.7).

Field order is the engine's slot order (mirrored by ``src/_engine/record_fields.pxd``);
each field says how it is encoded, whether it is mandatory, its valid range and
whether an error in it makes the record UZ01Z. Where the public record is silent the
choice is hrgfast's and marked (I) in docs/datasets.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from hrgfast import messages as M
from hrgfast._encode import Kind
from hrgfast.design import schema as S

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
DATE_MIN, DATE_MAX = -62091, 376199     # 1800-01-01 .. 2999-12-31 as days since 1970


@dataclass(frozen=True)
class Field:
    name: str
    kind: int
    label: str
    required: bool = False
    fatal: bool = True          # an invalid value makes the record UZ01Z
    lo: int = INT_MIN
    hi: int = INT_MAX


@dataclass(frozen=True)
class Repeat:
    """A repeated field PREFIX_01..PREFIX_nn (optional, any count present)."""

    prefix: str
    kind: int
    label: str
    base: int                   # field-code base (messages.FIELD_*)
    fatal: bool = True


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    scalars: tuple[Field, ...]
    repeats: tuple[Repeat, ...]
    main: str                   # main output file suffix (_attend, _acc, ...)
    appended: tuple[str, ...]   # columns the main file appends after the input columns
    rel: tuple[str, ...]        # the _rel file's columns (NAC), else empty
    record: str                 # summary count prefix: "<record> Count"
    fail: tuple[int, str]       # message and field when no decision-list rule holds
    keys: tuple[str, str] | None = None   # PCC/NCC: the day group key
    date_field: str | None = None         # PCC/NCC: the day's date
    unbundled: bool = False

    @property
    def logic(self) -> int:
        return S.LOGIC_DATASETS.index(self.name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.scalars]

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.scalars if f.required]

    @property
    def sorted(self) -> bool:
        return self.keys is not None

    def slot(self, name: str) -> int:
        return self.names.index(name)

    def label(self, code: int) -> str:
        """The label a field code's messages use."""
        if code < M.FIELD_DIAG:
            return self.scalars[code].label
        base = code - code % 1000
        for r in self.repeats:
            if r.base == base:
                return r.label
        return M.field_name(code, self.names)

    def field_name(self, code: int) -> str:
        return M.field_name(code, self.names)


def _age(name: str, label: str) -> Field:
    return Field(name, Kind.INTEGER, label, True, True, 0, 130)


def _enum(name: str, label: str, required: bool = True, zeros: bool = True,
          fatal: bool = True) -> Field:
    return Field(name, Kind.VALUE_ZEROS if zeros else Kind.VALUE, label, required, fatal)


def _days(name: str, label: str) -> Field:
    return Field(name, Kind.INTEGER, label, False, True, 0, 99999)


def _date(name: str, label: str, required: bool) -> Field:
    # optional ACC dates only feed Calc_CC_Days: a bad one is reported, never fatal
    return Field(name, Kind.DATE, label, required, required, DATE_MIN, DATE_MAX)


OPER = Repeat("OPER", Kind.OPCS4, "Procedure", M.FIELD_OPER)

NAC = Dataset(
    "NAC", "Non-admitted consultations (outpatients)",
    (_age("STARTAGE", "Start Age"), _enum("SEX", "Sex"), _enum("MAINSPEF", "Main Specialty"),
     _enum("TRETSPEF", "Treatment Function"), _enum("FIRSTATT", "First Attendance"),
     _enum("MULTIPROF", "Multi-professional Indicator", required=False)),
    (OPER,),
    "_attend",
    ("RowNo", "NAC_HRG", "GroupingMethodFlag", "DominantProcedure", "AttendanceHRG",
     "AttendSSC_Ct", *[f"AttendSSC{i}" for i in range(1, 6)], "AttendBP_Ct",
     *[f"AttendBP{i}" for i in range(1, 6)], "AttendFlag_Ct",
     *[f"AttendFlag{i}" for i in range(1, 6)], "UnbundledHRGs"),
    ("RowNo", "NAC_HRG", "GroupingMethodFlag", "DominantProcedure", "AttendanceHRG"),
    "Attendance", (M.NO_RULE, "FIRSTATT"), unbundled=True)

EM = Dataset(
    "EM", "Emergency medicine (A&E attendances)",
    (_age("AGE", "Age"), _enum("AEPATIENTGROUP", "A&E Patient Group", required=False)),
    (Repeat("INV", Kind.VALUE, "Investigation", M.FIELD_INV),
     Repeat("TREAT", Kind.VALUE, "Treatment", M.FIELD_TREAT)),
    "_attend", ("RowNo", "EM_HRG"), (), "Attendance", (M.NO_RULE, "TREAT_01"))

ACC = Dataset(
    "ACC", "Adult critical care periods",
    (_enum("CCUF", "Critical Care Unit Function"),
     _days("BCSD", "Basic Cardiovascular Support Days"),
     _days("ACSD", "Advanced Cardiovascular Support Days"),
     _days("BRSD", "Basic Respiratory Support Days"),
     _days("ARSD", "Advanced Respiratory Support Days"),
     _days("RSD", "Renal Support Days"), _days("NSD", "Neurological Support Days"),
     _days("DSD", "Dermatological Support Days"), _days("LSD", "Liver Support Days"),
     _days("CCL2D", "Critical Care Level 2 Days"), _days("CCL3D", "Critical Care Level 3 Days"),
     _date("CC_START_DATE", "Critical Care Start Date", False),
     _date("CC_DISCHARGE_DATE", "Critical Care Discharge Date", False)),
    (), "_acc", ("RowNo", "ACC_HRG", "Calc_CC_Days", "CC_Warning_Flag"), (), "ACC Record",
    (M.UZ13, "CCUF"))

_CC_DAY = (_date("CCDATE", "Critical Care Date", True),
           _date("DISDATE", "Discharge Date", True),
           _enum("DISMETH", "Discharge Method"),
           _enum("CCUF", "Critical Care Unit Function"))
CCAC = Repeat("CCAC", Kind.VALUE_ZEROS, "Critical Care Activity Code", M.FIELD_CCAC)

PCC = Dataset(
    "PCC", "Paediatric critical care days", _CC_DAY,
    (CCAC, Repeat("OPER", Kind.OPCS4, "Procedure", M.FIELD_OPER, fatal=False),
     Repeat("DIAG", Kind.ICD10, "Diagnosis", M.FIELD_DIAG, fatal=False)),
    "_pcc", ("RowNo", "PCC_HRG"), (), "PCC Record", (M.NO_RULE, "CCAC_01"),
    keys=("PROCODET", "CCLOCALID"), date_field="CCDATE")

NCC = Dataset(
    "NCC", "Neonatal critical care days",
    _CC_DAY + (Field("GESTLEN", Kind.INTEGER, "Gestation Length", True, True, 10, 49),
               Field("PERWT", Kind.DECIMAL3, "Person Weight", True, True, 1, 9999),
               Field("AGE_DAYS", Kind.INTEGER, "Age in Days", False, True, 0, 36524)),
    (CCAC,), "_ncc", ("RowNo", "NCC_HRG"), (), "NCC Record", (M.UZ11, "CCAC_01"),
    keys=("PROCODET", "CCLOCALID"), date_field="CCDATE")

NRD = Dataset(
    "NRD", "Renal dialysis sessions",
    (_enum("RENALMOD", "Renal Treatment Modality", zeros=False),
     _enum("RENALSITE", "Renal Treatment Supervision", zeros=False),
     _enum("RENALACCESS", "Renal Dialysis Access Type", required=False, zeros=False),
     _enum("HBV", "Hepatitis B Status", required=False),
     _enum("HCV", "Hepatitis C Status", required=False),
     _enum("HIV", "HIV Status", required=False),
     _age("AGE", "Age")),
    (), "_renal", ("RowNo", "NRD_HRG"), (), "NRD Record", (M.UZ14, "RENALMOD"))

DATASETS: dict[str, Dataset] = {d.name: d for d in (NAC, EM, ACC, PCC, NCC, NRD)}
