"""How complete a programme's stages are: the Bappenas/INKLUSI study's ten-point scorecard.

The study scored fifteen empowerment programmes it visited on ten points: planning, assessment from
secondary and from primary data, preparation, the three kinds of implementation (better access, skills,
mentoring), monitoring kept digitally and manually, and an exit strategy. One point per stage the
programme has; 1-5 points is a programme "dengan tahapan kurang komprehensif", 6-7 "cukup komprehensif",
8-10 "sangat komprehensif". Perantara fills the same card per programme (a results chain) so a planner
sees, beside the PCI of the groups, whether the programme itself has every stage; the study's own fifteen
rows are kept as the benchmark.

References:
    Bappenas & INKLUSI (2024). *Kajian model pemberdayaan masyarakat miskin dan rentan menuju kemandirian
    ekonomi*, section 2.2 "Hasil Analisis" (the table of programmes × stages and the three categories);
    ``seeds/002_3d23b0567e716117.txt``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Criterion:
    """One of the ten points: its key, the stage it belongs to and its name in both languages."""

    key: str
    stage_id: str
    stage_en: str
    name_id: str
    name_en: str

    def label(self, lang: str = "id") -> str:
        """"Stage: name" (or the name alone where the stage is the name)."""
        stage, name = (self.stage_en, self.name_en) if lang == "en" else (self.stage_id, self.name_id)
        return name if stage == name else f"{stage}: {name}"


CRITERIA: tuple[Criterion, ...] = (
    Criterion("perencanaan", "Perencanaan", "Planning", "Perencanaan", "Planning"),
    Criterion("asesmen_sekunder", "Asesmen", "Assessment", "Data sekunder", "Secondary data"),
    Criterion("asesmen_primer", "Asesmen", "Assessment", "Data primer", "Primary data"),
    Criterion("persiapan", "Persiapan", "Preparation", "Persiapan", "Preparation"),
    Criterion("akses", "Pelaksanaan", "Implementation", "Peningkatan akses", "Better access"),
    Criterion("keterampilan", "Pelaksanaan", "Implementation", "Pengembangan keterampilan", "Skills development"),
    Criterion("pendampingan", "Pelaksanaan", "Implementation", "Pendampingan", "Mentoring"),
    Criterion("monev_digital", "Monev", "M&E", "Digital", "Digital"),
    Criterion("monev_manual", "Monev", "M&E", "Manual", "Manual"),
    Criterion("exit", "Exit strategy", "Exit strategy", "Exit strategy", "Exit strategy"),
)
"""The study's ten points in the order of its table."""

KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)

ANSWERS: tuple[str, str] = ("ya", "tidak")
"""The card's answers: the programme has the stage, or has not (blank: not answered yet)."""

CATEGORIES: tuple[tuple[int, str], ...] = ((5, "kurang"), (7, "cukup"), (10, "sangat"))
"""(highest score, category): 1-5 kurang, 6-7 cukup, 8-10 sangat komprehensif (a programme with no stage
at all, 0, is counted with the least complete)."""

STUDY: dict[str, str] = {
    "PENA": "✓✓✗✗✓✓✓✓✗✓",
    "YESS": "✓✗✓✓✓✓✓✓✓✓",
    "ATENSI Kewirausahaan": "✗✓✗✗✗✗✓✓✗✓",
    "PLUT": "✓✓✓✓✗✓✓✗✓✗",
    "Kelapa Muda": "✓✓✗✓✗✓✓✗✓✓",
    "Pembiayaan UMi": "✓✗✓✓✓✗✓✓✗✗",
    "Berdaya Ekomas": "✓✓✓✓✓✓✗✗✓✗",
    "Reforma Agraria": "✓✓✓✓✓✗✗✓✗✗",
    "Perhutanan Sosial": "✓✗✓✓✓✗✓✗✓✗",
    "Dana Desa": "✓✗✓✓✓✗✗✓✗✗",
    "PBK": "✓✗✓✓✗✓✓✓✗✗",
    "Kartu Prakerja": "✓✓✓✓✗✓✗✓✗✗",
    "BUMDes": "✓✗✓✓✓✗✗✗✓✓",
    "PESADA": "✓✗✓✓✓✓✓✗✓✓",
    "PR YAKKUM": "✓✓✓✓✗✓✓✗✓✗",
}
"""The study's table as printed (✓ has the stage, ✗ has not), in the order of :data:`CRITERIA`. The
study's "Reforma Agraria" row is its TORA programme (the document's find-and-replace renamed it)."""


def score(met: Mapping[str, object]) -> int:
    """Points: one per criterion marked as met (a missing or blank answer is no point).

    >>> score({"perencanaan": True, "asesmen_primer": True, "exit": False, "akses": None})
    2
    """
    unknown = set(met) - set(KEYS)
    if unknown:
        raise ValueError(f"Kriteria tidak dikenal: {', '.join(sorted(unknown))}")
    return sum(1 for k in KEYS if _truth(met.get(k)))


def _truth(value: object) -> bool:
    """A stored answer as a truth value (numpy booleans and 0/1 included; None and NaN are no answer)."""
    return bool(pd.notna(value) and value)


def category(points: int) -> str:
    """The study's category of a score 0-10: ``kurang``, ``cukup`` or ``sangat`` (komprehensif).

    >>> [category(p) for p in (0, 5, 6, 7, 8, 10)]
    ['kurang', 'kurang', 'cukup', 'cukup', 'sangat', 'sangat']
    """
    if not 0 <= points <= len(CRITERIA):
        raise ValueError(f"Skor kelengkapan harus 0-{len(CRITERIA)}, bukan {points}.")
    return next(name for top, name in CATEGORIES if points <= top)


def study_table() -> pd.DataFrame:
    """The study's fifteen programmes: ``program``, one boolean column per criterion key, ``skor`` and
    ``kategori``."""
    rows = []
    for name, marks in STUDY.items():
        met = {k: m == "✓" for k, m in zip(KEYS, marks, strict=True)}
        points = score(met)
        rows.append({"program": name, **met, "skor": points, "kategori": category(points)})
    return pd.DataFrame(rows)


def card(answers: pd.DataFrame, suggestions: Mapping[str, str] | None = None, lang: str = "id") -> pd.DataFrame:
    """The card to fill: one row per criterion in the study's order with ``kunci``, ``kriteria`` (stage
    and name), ``ada`` ("ya", "tidak" or None when not answered yet), ``bukti`` (the evidence the planner
    wrote) and ``saran`` (what the app's own records show, if anything). ``answers`` has columns
    ``criterion``, ``met``, ``bukti``."""
    stored = answers.set_index("criterion") if len(answers) else pd.DataFrame(columns=["met", "bukti"])
    rows = []
    for c in CRITERIA:
        met = stored["met"].get(c.key) if c.key in stored.index else None
        bukti = stored["bukti"].get(c.key) if c.key in stored.index else None
        rows.append({"kunci": c.key, "kriteria": c.label(lang),
                     "ada": None if met is None or pd.isna(met) else ANSWERS[0] if bool(met) else ANSWERS[1],
                     "bukti": "" if bukti is None or pd.isna(bukti) else str(bukti),
                     "saran": (suggestions or {}).get(c.key, "")})
    return pd.DataFrame(rows)


def answers_from_card(card_frame: pd.DataFrame) -> dict[str, tuple[bool, str]]:
    """What a filled card says: criterion key → (met, evidence). Rows with no answer are left out (not
    answered); evidence is trimmed.

    >>> answers_from_card(pd.DataFrame({"kunci": ["perencanaan", "exit", "akses"], "ada": ["ya", "tidak", None],
    ...                                 "bukti": [" Perbup 12/2025 ", None, "x"]}))
    {'perencanaan': (True, 'Perbup 12/2025'), 'exit': (False, '')}
    """
    out: dict[str, tuple[bool, str]] = {}
    for r in card_frame.itertuples(index=False):
        if r.kunci not in KEYS:
            raise ValueError(f"Kriteria tidak dikenal: {r.kunci}")
        if not isinstance(r.ada, str) or not r.ada:
            continue
        if r.ada not in ANSWERS:
            raise ValueError(f"Jawaban '{r.ada}' untuk {r.kunci} harus 'ya' atau 'tidak'.")
        bukti = r.bukti if isinstance(r.bukti, str) else ""
        out[r.kunci] = (r.ada == ANSWERS[0], bukti.strip())
    return out


def programmes(answers: pd.DataFrame, chains: pd.DataFrame) -> pd.DataFrame:
    """One row per programme (results chain) beside the study's: ``program`` (the chain's model title, else its
    own), ``dijawab`` (criteria answered), ``skor`` and ``kategori`` — the category only once all ten are
    answered, since an unanswered stage could still be a point ("" until then). ``answers`` as stored (``chain_id``,
    ``criterion``, ``met``); ``chains`` with ``id``, ``title`` and ``model_title``."""
    rows = []
    for c in chains.itertuples(index=False):
        mine = answers[answers["chain_id"] == c.id]
        points = score(dict(zip(mine["criterion"], mine["met"], strict=True)))
        title = c.model_title if isinstance(c.model_title, str) and c.model_title else c.title
        rows.append({"chain_id": int(c.id), "program": title, "dijawab": len(mine), "skor": points,
                     "kategori": category(points) if len(mine) == len(CRITERIA) else ""})
    return pd.DataFrame(rows, columns=["chain_id", "program", "dijawab", "skor", "kategori"])


def benchmark(ours: pd.DataFrame) -> pd.DataFrame:
    """The app's programmes (from :func:`programmes`, those with at least one answer) beside the study's
    fifteen: ``program``, ``skor``, ``kategori``, ``ours``."""
    mine = ours[ours["dijawab"] > 0][["program", "skor", "kategori"]].assign(ours=True)
    study = study_table()[["program", "skor", "kategori"]].assign(ours=False)
    return pd.concat([mine, study], ignore_index=True)
