"""Build data/open-2024-25/cc_weights/*.csv (hrgfast open design CC lists).

Run: python tools/cc_weights/build.py  (needs ../shared/external_data; writes the parts).

Inputs: icd10_codes.csv, subchapters.csv, severity tables (sev.py), black-box CC probe
lists (ansalls/HRG-Grouper-Analysis cc_lists, read only, never copied).
"""
import collections
import csv
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import sev as SEV

MAIN = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DES = f"{MAIN}/data/open-2024-25"
BB = os.path.join(MAIN, "..", "shared", "external_data", "ansalls+HRG-Grouper-Analysis")
OUT = sys.argv[1] if len(sys.argv) > 1 else f"{DES}/cc_weights"

codes = sorted(l.strip() for l in open(f"{DES}/icd10_codes.csv")
               if l.strip() and not l.startswith("#"))[:]
codes = [c for c in codes if c != "code"]
CODESET = set(codes)
subchapters = [r["subchapter"] for r in csv.DictReader(
    l for l in open(f"{DES}/subchapters.csv") if not l.startswith("#"))]

# trie of prefixes (length >= 3)
prefixes = set()
for c in codes:
    for n in range(3, len(c) + 1):
        prefixes.add(c[:n])
children = collections.defaultdict(list)
for p in sorted(prefixes):
    if len(p) > 3:
        children[p[:-1]].append(p)
cats = sorted(p for p in prefixes if len(p) == 3)
by_len = collections.defaultdict(list)
for p in sorted(prefixes):
    by_len[len(p)].append(p)


def parse(text):
    tab = {}
    for ln in text.strip().splitlines():
        spec, w, label = ln.split(None, 2)
        w = int(w)
        if "-" in spec:
            lo, hi = spec.split("-")
            assert len(lo) == len(hi), spec
            hits = [p for p in by_len[len(lo)] if lo <= p <= hi]
        else:
            hits = [spec] if spec in prefixes else []
        if not hits:
            print("WARN no codes for", spec, file=sys.stderr)
        for p in hits:
            tab[p] = (w, label)
    return tab


ADULT = parse(SEV.ADULT)
PAED = dict(ADULT)
PAED.update(parse(SEV.PAED))
NZTAB = parse(SEV.NZ)


def lookup(tab, c):
    for n in range(len(c), 0, -1):
        if c[:n] in tab:
            return tab[c[:n]]
    return (0, "no severity entry")


sev = {c: lookup(ADULT, c)[0] for c in codes}
label = {c: lookup(ADULT, c)[1] for c in codes}
psev = {c: lookup(PAED, c)[0] for c in codes}
plabel = {c: lookup(PAED, c)[1] for c in codes}


def pmap(x):  # adult-scale severity -> paediatric weight (bands 0 / 1-2 / 3-4 / 5+ ...)
    return 0 if x <= 0 else min(5, (x + 1) // 2)


def nzmap(x):  # adult-scale weight -> obstetric weight (bands 0 / 1 / 2+)
    return 0 if x <= 0 else (1 if x <= 3 else 2)


# ---- black-box lists
probe = set(l.strip() for l in open(f"{BB}/all_used_diag_codes.txt") if l.strip())
L, STEP, MAXC = {}, {}, {}
for f in sorted(glob.glob(f"{BB}/cc_lists/*_cc_list.csv")):
    sub, step = os.path.basename(f).split("_")[:2]
    d = {}
    for ln in open(f):
        if ln.strip():
            k, v = ln.strip().split(",")
            d[k] = int(v)
    L[sub], STEP[sub], MAXC[sub] = d, int(step), max(d.values())
ADULT_LISTS = [s for s in L if not s.startswith("P")]
PAED_LISTS = [s for s in L if s.startswith("P")]
assert all(c in CODESET for s in L for c in L[s])

# list families: lists that are (nearly) the same list; evidence strength = most probe bases
FAMILY = {}
for a in L:
    fam = [b for b in L if len(set(L[a]) & set(L[b])) / len(set(L[a]) | set(L[b])) >= 0.95]
    FAMILY[a] = sorted(fam)
STRONG = {a: max(MAXC[b] for b in FAMILY[a]) >= 30 for a in L}
LIGHT_BREADTH = 0.8

probe_by4 = collections.defaultdict(list)
probe_by3 = collections.defaultdict(list)
for c in probe:
    probe_by4[c[:4]].append(c)
    probe_by3[c[:3]].append(c)


def relatives(c):
    r = [x for x in probe_by4.get(c[:4], []) if x != c]
    if not r:
        r = [x for x in probe_by3.get(c[:3], []) if x != c]
    return r


REL = {c: (None if c in probe else relatives(c)) for c in codes}


def breadth(c, group):
    if c in probe:
        return sum(c in L[s] for s in group) / len(group)
    r = REL[c]
    if not r:
        return None
    return sum(sum(x in L[s] for s in group) for x in r) / (len(r) * len(group))


bA = {c: breadth(c, ADULT_LISTS) for c in codes}
bP = {c: breadth(c, PAED_LISTS) for c in codes}

W = {}      # subchapter -> {code: weight}
WHY = {}    # subchapter -> {code: provenance tag}

# ---- generic default (adult scale): used by every subchapter without its own evidence
G, GWHY = {}, {}
for c in codes:
    s, b = sev[c], bA[c]
    if b is None:
        G[c], GWHY[c] = s, "judgement"
    elif b >= 0.5:
        G[c], GWHY[c] = max(1, s), "consensus"
    elif s >= 3 or (b >= 0.25 and s >= 1):
        G[c], GWHY[c] = s, "judgement"
    else:
        G[c], GWHY[c] = 0, "judgement"
W["*"], WHY["*"] = G, GWHY

# ---- subchapters with a black-box list
for sub in L:
    paed = sub.startswith("P")
    sv = psev if paed else sev
    bgrp = bP if paed else bA
    fin = pmap if paed else (lambda x: x)
    w, why = {}, {}
    for c in codes:
        s = sv[c]
        if c in probe:
            if c in L[sub]:
                r = L[sub][c] / MAXC[sub]
                if STEP[sub] == 9 and r < 0.95:
                    x, t = (1 if s <= 2 else s - 1), "bb-low"
                else:
                    x, t = max(1, s), "bb"
                w[c], why[c] = fin(x), t
            else:
                b = bgrp[c]
                if not STRONG[sub] and b is not None and b >= LIGHT_BREADTH and s >= 1:
                    w[c], why[c] = 1, "light"
                else:
                    w[c], why[c] = 0, "absent"
        else:
            rel = REL[c]
            if rel:
                frac = sum(x in L[sub] for x in rel) / len(rel)
                if frac >= 0.5:
                    w[c], why[c] = fin(max(1, s)), "bb-fam"
                else:
                    b = bgrp[c]
                    if not STRONG[sub] and b is not None and b >= LIGHT_BREADTH and s >= 1:
                        w[c], why[c] = 1, "light-fam"
                    else:
                        w[c], why[c] = 0, "absent-fam"
            else:
                w[c], why[c] = fin(s), "judgement"
    W[sub], WHY[sub] = w, why

# ---- subchapters without a list that have CC splits: donors (related lists)
DONORS = {"ED": ["EB", "EY", "EC"], "HC": ["HD", "HE", "HN", "HT", "AA"],
          "VA": ["HT", "HE", "AA"], "YA": ["AA", "YR"]}
for sub, dn in DONORS.items():
    w, why = {}, {}
    for c in codes:
        pos = [W[d][c] for d in dn if W[d][c] > 0]
        if len(pos) * 2 > len(dn):
            w[c] = int(sum(pos) / len(pos) + 0.5)
            why[c] = "donors " + "+".join(dn)
        else:
            w[c], why[c] = 0, "absent in donors " + "+".join(dn)
    W[sub], WHY[sub] = w, why

# ---- obstetrics
w, why = {}, {}
for c in codes:
    if c[0] == "O":
        x, lab = lookup(NZTAB, c)
        w[c], why[c] = x, ("obstetric judgement: " + lab if x else "judgement")
    elif c[0] == "P" or c[:2] == "Z3":
        w[c], why[c] = 0, "judgement"
    else:
        w[c], why[c] = nzmap(G[c]), "default, obstetric scale"
W["NZ"], WHY["NZ"] = w, why

for s in subchapters:
    if s not in W:
        W[s], WHY[s] = G, GWHY

# ---- compression: fewest rows reproducing W exactly (subchapter rows beat '*')
INF = 10 ** 9


def compress(target, base):
    """Rows (prefix, weight) so that longest-prefix-of-rows else base[c] == target[c]."""
    memo = {}
    iscode = CODESET

    def same(node):
        key = ("same", node)
        if key not in memo:
            ok = (node not in iscode or target[node] == base(node)) and all(same(ch) for ch in children[node])
            memo[key] = ok
        return memo[key]

    def vals(node):
        key = ("vals", node)
        if key not in memo:
            v = {target[node]} if node in iscode else set()
            for ch in children[node]:
                v |= vals(ch)
            memo[key] = v
        return memo[key]

    def cost(node, inh):
        key = (node, inh)
        if key in memo:
            return memo[key][0]
        if inh is None and same(node):
            memo[key] = (0, None)
            return 0
        best, choice = INF, None
        eff = (base(node) if node in iscode else None) if inh is None else inh
        if node not in iscode or eff == target[node]:
            best = sum(cost(ch, inh) for ch in children[node])
        cands = [target[node]] if node in iscode else sorted(vals(node))
        for v in cands:
            if v == inh:
                continue
            cst = 1 + sum(cost(ch, v) for ch in children[node])
            if cst < best:
                best, choice = cst, v
        memo[key] = (best, choice)
        return best

    rows = []

    def emit(node, inh):
        cost(node, inh)
        choice = memo[(node, inh)][1]
        if choice is not None:
            rows.append((node, choice))
            inh = choice
        elif inh is None and same(node):
            return
        for ch in children[node]:
            emit(ch, inh)

    for c in cats:
        emit(c, None)
    return rows


def covered(prefix, rows_set):
    """codes whose weight comes from the row `prefix` (no longer row in between)."""
    out = []
    for c in codes_under(prefix):
        for n in range(len(c), len(prefix), -1):
            if c[:n] in rows_set:
                break
        else:
            out.append(c)
    return out


import bisect


def codes_under(p):
    lo = bisect.bisect_left(codes, p)
    hi = bisect.bisect_left(codes, p + "\x7f")
    return codes[lo:hi]


def note_for(sub, prefix, rows_set):
    cv = covered(prefix, rows_set)
    why = WHY[sub]
    tags = collections.Counter(why[c] for c in cv)
    tag, n = tags.most_common(1)[0]
    lab = (plabel if sub.startswith("P") else label)[prefix if prefix in CODESET else cv[0]]
    if sub in ("NZ",) and prefix[0] == "O":
        return tag
    if len(tags) > 1:
        tag += f" {n}/{len(cv)}"
    return f"{lab}; {tag}"


HEADER = ("# CC weights{what}.\n"
          "# hrgfast open reference design approximating HRG4+ 2024/25; NOT the official Code to Group.\n"
          "# Weights: hrgfast clinical severity judgement; membership from the black-box CC probe\n"
          "# lists where they exist (docs/design/cc.md). Longest prefix wins; a subchapter row beats '*'.\n"
          "# note = clinical group; provenance of the codes the row decides (k/n when mixed):\n"
          "#   bb on the probe list | bb-low on it, moved <95% of the probe bases | bb-fam not probed,\n"
          "#   most probed codes of its family on the list | light(-fam) not on a weakly probed list\n"
          "#   (<30 bases) but on >=80% of the other lists: weight 1 | absent(-fam) probed (family\n"
          "#   probed), not on the list | consensus on >=50% of the adult lists | donors X+Y mean of\n"
          "#   related lists, where most carry it | judgement no usable evidence\n")

os.makedirs(OUT, exist_ok=True)
for f in glob.glob(f"{OUT}/*.csv"):
    os.remove(f)
stats = {}
star_rows = compress(G, lambda c: 0)
star_set = {p for p, _ in star_rows}
with open(f"{OUT}/_default.csv", "w", newline="") as fh:
    fh.write(HEADER.format(what=": '*' = default for every subchapter without its own row"))
    wr = csv.writer(fh, lineterminator="\n")
    wr.writerow(["subchapter", "code", "weight", "note"])
    for p, v in star_rows:
        wr.writerow(["*", p, v, note_for("*", p, star_set)])
stats["*"] = len(star_rows)
for sub in subchapters:
    if W[sub] is G:
        continue
    rows = compress(W[sub], lambda c: G[c])
    if not rows:
        continue
    rs = {p for p, _ in rows}
    src = ("black-box list " + f"{sub}_{STEP[sub]}_cc_list" if sub in L else
           "donor lists " + "+".join(DONORS[sub]) if sub in DONORS else "obstetric judgement")
    with open(f"{OUT}/{sub}.csv", "w", newline="") as fh:
        fh.write(HEADER.format(what=f" for subchapter {sub} ({src}); rows override '*'"))
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(["subchapter", "code", "weight", "note"])
        for p, v in rows:
            wr.writerow([sub, p, v, note_for(sub, p, rs)])
    stats[sub] = len(rows)
TMP = os.environ.get("TMPDIR", "/tmp")
json.dump({s: W[s] for s in set(subchapters)}, open(os.path.join(TMP, "cc_expected.json"), "w"))
print(json.dumps(stats))
print("total rows", sum(stats.values()))

# ---- stats for docs
st = {}
for sub in sorted(L):
    tags = collections.Counter(WHY[sub].values())
    wl = collections.Counter(W[sub][c] for c in L[sub])
    st[sub] = (len(L[sub]), STEP[sub], MAXC[sub], sum(1 for c in L[sub] if L[sub][c] / MAXC[sub] < 0.95),
               tags.get("light", 0) + tags.get("light-fam", 0), sum(1 for c in codes if W[sub][c] > 0),
               round(sum(W[sub][c] for c in L[sub]) / len(L[sub]), 2), dict(sorted(wl.items())))
json.dump(st, open(os.path.join(TMP, "cc_stats.json"), "w"))
print({a: (FAMILY[a], STRONG[a]) for a in L})
gt = collections.Counter(GWHY[c] for c in codes if G[c] > 0)
print("default >0:", sum(1 for c in codes if G[c] > 0), dict(gt))
for s in ["ED", "HC", "VA", "YA", "NZ"]:
    print(s, "codes >0:", sum(1 for c in codes if W[s][c] > 0))
