"""Readable explanations of how one episode (and its spell) was grouped.

Built from the engine's own intermediate columns (root, method, dominant procedure,
CC score, split rule) plus design look-ups for the per-code detail, so it explains
the result the engine produced rather than re-deriving it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow.compute as pc

from hrgfast.apc.fields import repeated

if TYPE_CHECKING:
    from hrgfast.apc.result import ApcResult

METHOD = {"P": "procedure-driven", "D": "diagnosis-driven", "B": "burns logic",
          "M": "multiple trauma logic", "G": "global exception", "U": "invalid for grouping"}


def _row(table, idx: int) -> dict:
    return {k: v[0] for k, v in table.slice(idx, 1).to_pydict().items()}


def explain_episode(result: ApcResult, row_no: int) -> str:
    n = result.episodes.num_rows
    if not 1 <= row_no <= n:
        raise IndexError(f"RowNo {row_no} is not in 1..{n}")
    d = result.design
    ep = _row(result.episodes, row_no - 1)
    src = _row(result.inputs, ep["InputRow"])
    diags = [src[c] for c in repeated(list(src), "DIAG") if src[c] not in (None, "")]
    procs = [src[c] for c in repeated(list(src), "OPER") if src[c] not in (None, "")]
    out = [f"RowNo {row_no} (input row {ep['InputRow']}): PROCODET {ep['PROCODET']}, "
           f"PROVSPNO {ep['PROVSPNO']}, EPIORDER {ep['EPIORDER']}",
           f"FCE_HRG {ep['FCE_HRG']} ({d.hrg_label(ep['FCE_HRG'])}), "
           f"{METHOD.get(ep['GroupingMethodFlag'], ep['GroupingMethodFlag'])}"]
    q = result.quality.filter(pc.equal(result.quality.column("RowNo"), row_no)).to_pydict()
    for t, c, m, fatal in zip(q["Code Type"], q["Code"], q["Error Message"], q["Fatal"],
                              strict=True):
        out.append(f"  {'error' if fatal else 'warning'}: {t}|{c}|{m}")
    if ep["GroupingMethodFlag"] != "U":
        primary = diags[0] if diags else None
        info = d.diagnosis(primary) if primary else {}
        out.append(f"  primary diagnosis {primary}: root {info.get('root')}"
                   + (f", paediatric root {info['paediatric_root']}"
                      if info.get("paediatric_root") else "")
                   + (f" (diagnoses row {info['mapped_by']})" if info.get("mapped_by") else ""))
        for p in procs:
            pi = d.procedure(p)
            if pi["valid"]:
                extra = [f"hierarchy {pi['hierarchy']}"]
                if pi["root"]:
                    extra.append(f"root {pi['root']}")
                if pi["intervention"]:
                    extra.append("intervention")
                if pi["unbundled_root"]:
                    extra.append(f"unbundled {pi['unbundled_root']}")
                out.append(f"  procedure {pi['code']}: " + ", ".join(extra))
        if ep["DominantProcedure"]:
            out.append(f"  dominant procedure {ep['DominantProcedure']}")
        root = ep["HRGRoot"]
        subch = root[:2]
        out.append(f"  root {root}; CC score {ep['CCScore']} on subchapter {subch}:")
        for code, w, why in d.cc_breakdown(primary, diags[1:], subch):
            out.append(f"    {code}: +{w} ({why})")
        rule = ep["SplitRule"]
        if rule:
            idx = d.rule_sources.index(rule)
            text = d.rule_texts[idx] or "always (catch-all)"
            out.append(f"  split rule {rule}: {ep['FCE_HRG']} when {text}")
    if ep["UnbundledHRGs"]:
        out.append("  unbundled: " + ", ".join(ep["UnbundledHRGs"]))
    out.append(f"spell: SpellHRG {ep['SpellHRG']} ({ep['SpellGroupingMethodFlag']}), "
               f"{ep['SpellEpisodeCount']} episode(s), SpellLOS {ep['SpellLOS']}, "
               f"SpellReportFlag {ep['SpellReportFlag']}")
    return "\n".join(out)
