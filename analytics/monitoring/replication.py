"""Replication readiness: where a kabupaten/kota stands in the five preparation stages of the replication
guide, with the evidence for each expected output, and the budget lines by regional budget code.

The guide (KOMPAK, *Panduan replikasi dan pelembagaan Keperantaraan Pasar*, bab 3.1-3.5) prepares a
replication in five stages, each with what it should leave behind:

1. **Penyamaan pemahaman dan visi** — a preparation team set up by the bupati, a small-group meeting of
   Bappeda, the cooperatives and UMKM office, the village community empowerment office, village governments,
   businesses and UMK representatives on the concept, and the shared understanding and commitment.
2. **Perumusan konsep kegiatan** — its five results: (a) the final concept, (b) the stages of the activity,
   (c) the regulations needed, (d) the cost and budget design, (e) the working team's structure.
3. **Penyiapan regulasi dan kebijakan** — the three aspects: the initiative set as a regional programme, the
   budget made certain, and the working team's regulation (structure, roles, coordination): a Perbup, Perda
   or SK Bupati.
4. **Penyiapan penganggaran** — funding for (i) the working team's operations and (ii) the interventions;
   a regional budget (APBD) line carries its nomenclature code urusan.program.kegiatan.sub-kegiatan
   (the guide's Table 1: ``3.26.02.2.02.07`` …). Its two outputs are met by the budget lines themselves.
5. **Pembentukan tim, struktur dan koordinasi kerja** — the working team (operator) under a responsible OPD,
   and the facilitator engaged by procurement.

An output counts as met only with its evidence: the kind of document, its date and the responsible OPD (a
number where the document has one).

References:
    KOMPAK. *Panduan replikasi dan pelembagaan Keperantaraan Pasar*, bab 3 and Tabel 1
    (``seeds/004_75154c03f4df643a.txt``). Permendagri 90/2019 on the classification and nomenclature of regional
    planning and budgeting (the code's parts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Stage:
    """A preparation stage and its expected outputs (key, text)."""

    key: str
    name: str
    items: tuple[tuple[str, str], ...]


STAGES: tuple[Stage, ...] = (
    Stage("visi", "Penyamaan pemahaman dan visi", (
        ("visi.tim_persiapan", "Tim Persiapan dibentuk oleh bupati/wali kota"),
        ("visi.pertemuan", "Pertemuan kelompok kecil (Bappeda, Dinas Koperasi dan UMKM, DPMD, pemerintah desa, "
                           "pelaku usaha, perwakilan UMK) membahas konsep, prinsip, tujuan dan alternatif intervensi"),
        ("visi.komitmen", "Kesepemahaman dan komitmen pelaksanaan Keperantaraan Pasar"),
    )),
    Stage("konsep", "Perumusan konsep kegiatan", (
        ("konsep.final", "Finalisasi konsep penguatan UMK melalui Keperantaraan Pasar"),
        ("konsep.tahapan", "Rancangan tahapan kegiatan pelaksanaan"),
        ("konsep.regulasi", "Identifikasi regulasi dan kebijakan yang diperlukan"),
        ("konsep.biaya", "Rancangan biaya dan penganggaran"),
        ("konsep.struktur", "Struktur Tim Kerja pelaksanaan"),
    )),
    Stage("regulasi", "Penyiapan regulasi dan kebijakan", (
        ("regulasi.program", "Keperantaraan Pasar ditetapkan sebagai program pemerintah daerah (penanggulangan "
                             "kemiskinan, kewirausahaan UMK)"),
        ("regulasi.anggaran", "Kepastian anggaran untuk pembiayaan kegiatan"),
        ("regulasi.tim", "Regulasi Tim Kerja: struktur, peran dan fungsi, koordinasi kerja"),
    )),
    Stage("anggaran", "Penyiapan penganggaran", (
        ("anggaran.operasional", "Pembiayaan operasional Tim Kerja (baris anggaran)"),
        ("anggaran.intervensi", "Pembiayaan pelaksanaan intervensi dukungan (baris anggaran)"),
    )),
    Stage("tim", "Pembentukan tim, struktur dan koordinasi kerja", (
        ("tim.kerja", "Tim Kerja (operator keperantaraan) dibentuk di bawah OPD penanggung jawab (Sekda, Bappeda "
                      "atau Dinas Koperasi dan UMKM)"),
        ("tim.fasilitator", "Fasilitator (konsultan bisnis lokal) ditetapkan melalui mekanisme pengadaan"),
    )),
)
"""The five stages in the guide's order."""

ITEMS: dict[str, tuple[str, str]] = {k: (s.key, text) for s in STAGES for k, text in s.items}
"""Item key → (stage key, text)."""

BUDGET_ITEMS: dict[str, str] = {"anggaran.operasional": "operasional", "anggaran.intervensi": "intervensi"}
"""The budget stage's outputs and the purpose of the budget lines that meet them."""

DOC_TYPES: tuple[str, ...] = ("Perda", "Perbup/Perwali", "SK Bupati/Wali Kota", "Surat Edaran", "SK Kepala OPD",
                              "Berita acara", "Notulen", "RKA/DPA", "Kontrak", "Dokumen lain")
PURPOSES: tuple[str, ...] = ("operasional", "intervensi")
SOURCES: tuple[str, ...] = ("APBD", "APBDes", "APBN/DAK", "Mitra swasta", "CSR", "Lembaga pembiayaan")
CODED_SOURCES: frozenset[str] = frozenset({"APBD"})
"""Sources whose lines must carry the regional budget code."""

ITEM_COLUMNS: list[str] = ["item", "selesai", "jenis_dokumen", "nomor", "tanggal", "opd", "catatan"]
BUDGET_COLUMNS: list[str] = ["kode", "uraian", "tahun", "nilai", "sumber", "peruntukan"]

_CODE = re.compile(r"^(\d)\.(\d{1,2})(?:\.(\d{2})(?:\.(\d)\.(\d{2})(?:\.(\d{2,4}))?)?)?$")
LEVELS: tuple[str, ...] = ("urusan", "program", "kegiatan", "sub_kegiatan")


def parse_code(code: str) -> dict[str, str] | None:
    """The parts of a regional budget code (``urusan``, ``program``, ``kegiatan``, ``sub_kegiatan`` as far as
    the code goes, and its ``level``), or None when it is not one.

    >>> parse_code("3.26.02.2.02.07")["level"], parse_code("3.26.02.2.02.07")["kegiatan"]
    ('sub_kegiatan', '3.26.02.2.02')
    >>> parse_code("3.30.05")
    {'urusan': '3.30', 'program': '3.30.05', 'level': 'program'}
    >>> parse_code("3.26.2") is None, parse_code("Rp 5 juta") is None
    (True, True)
    """
    m = _CODE.match(str(code).strip())
    if not m:
        return None
    g = m.groups()
    out = {"urusan": f"{g[0]}.{g[1]}"}
    if g[2]:
        out["program"] = f"{out['urusan']}.{g[2]}"
    if g[3]:
        out["kegiatan"] = f"{out['program']}.{g[3]}.{g[4]}"
    if g[5]:
        out["sub_kegiatan"] = f"{out['kegiatan']}.{g[5]}"
    out["level"] = LEVELS[len(out) - 1]
    return out


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == ""


# pragma: no mutate start, outside the calculation core: input validation
def check_items(items: pd.DataFrame) -> list[str]:
    """Problems of a checklist (rows numbered from 1): an unknown output, and an output marked done without its
    evidence (document type, date, responsible OPD) or with a document type the list does not have."""
    found = []
    for i, r in enumerate(items.itertuples(index=False), start=1):
        if r.item not in ITEMS:
            found.append(f"Baris {i}: keluaran '{r.item}' tidak dikenal")
            continue
        if r.item in BUDGET_ITEMS:
            continue  # met by the budget lines, not by a tick
        if not _blank(r.jenis_dokumen) and r.jenis_dokumen not in DOC_TYPES:
            found.append(f"Baris {i}, kolom jenis dokumen: '{r.jenis_dokumen}' bukan salah satu dari "
                         f"{', '.join(DOC_TYPES)}")
        if bool(r.selesai) and not _blank(r.selesai):
            missing = [name for name, v in (("jenis dokumen", r.jenis_dokumen), ("tanggal", r.tanggal),
                                            ("OPD penanggung jawab", r.opd)) if _blank(v)]
            if missing:
                found.append(f"Baris {i} ({ITEMS[r.item][1][:60]}): dinyatakan selesai tanpa {', '.join(missing)}")
        if not _blank(r.tanggal) and pd.Timestamp(r.tanggal).date() > date.today():
            found.append(f"Baris {i}, kolom tanggal: tanggal dokumen di masa depan")
    return found


def check_budget(lines: pd.DataFrame) -> list[str]:
    """Problems of the budget lines (rows numbered from 1): no description, a year or amount that is not a
    positive number, an unknown source or purpose, an APBD line without a sub-kegiatan code, and a code that
    is not a regional budget code."""
    found = []
    for i, r in enumerate(lines.itertuples(index=False), start=1):
        if _blank(r.uraian):
            found.append(f"Baris {i}, kolom uraian: kosong")
        year = pd.to_numeric(pd.Series([r.tahun]), errors="coerce").iloc[0]
        if pd.isna(year) or not 2000 <= year <= 2100:
            found.append(f"Baris {i}, kolom tahun: '{r.tahun}' bukan tahun anggaran")
        value = pd.to_numeric(pd.Series([r.nilai]), errors="coerce").iloc[0]
        if pd.isna(value) or value <= 0:
            found.append(f"Baris {i}, kolom nilai: harus angka rupiah lebih dari 0")
        if r.sumber not in SOURCES:
            found.append(f"Baris {i}, kolom sumber: '{r.sumber}' bukan salah satu dari {', '.join(SOURCES)}")
        if r.peruntukan not in PURPOSES:
            found.append(f"Baris {i}, kolom peruntukan: pilih operasional (Tim Kerja) atau intervensi")
        if _blank(r.kode):
            if r.sumber in CODED_SOURCES:
                found.append(f"Baris {i}, kolom kode: baris APBD perlu kode nomenklatur sub-kegiatan "
                             "(misalnya 3.26.02.2.02.07)")
            continue
        parts = parse_code(r.kode)
        if parts is None:
            found.append(f"Baris {i}, kolom kode: '{r.kode}' bukan kode nomenklatur "
                         "urusan.program.kegiatan.sub-kegiatan (misalnya 3.26.02.2.02.07)")
        elif parts["level"] != "sub_kegiatan":
            found.append(f"Baris {i}, kolom kode: {r.kode} adalah kode {parts['level'].replace('_', '-')}, bukan "
                         "sub-kegiatan (anggaran dicatat pada sub-kegiatan)")
    return found
# pragma: no mutate end


def checklist(items: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Every expected output in the guide's order with the stored answer: ``tahap``, ``item``, ``keluaran``,
    ``selesai`` and the evidence columns. The budget stage's outputs are met when a budget line of that
    purpose exists (their evidence: the lines' count and total)."""
    stored = items.set_index("item") if len(items) else pd.DataFrame(columns=ITEM_COLUMNS[1:])
    rows = []
    for s in STAGES:
        for key, text in s.items:
            row = {"tahap": s.name, "item": key, "keluaran": text, "selesai": False, "jenis_dokumen": None,
                   "nomor": None, "tanggal": None, "opd": None, "catatan": None}
            if key in BUDGET_ITEMS:
                mine = budget[budget["peruntukan"] == BUDGET_ITEMS[key]] if len(budget) else budget
                row.update(selesai=len(mine) > 0, jenis_dokumen="RKA/DPA" if len(mine) else None,
                           catatan=f"{len(mine)} baris anggaran" if len(mine) else None)
            elif key in stored.index:
                r = stored.loc[key]
                row.update({c: (None if _blank(r[c]) else r[c]) for c in ITEM_COLUMNS[2:]})
                row["selesai"] = bool(r["selesai"])
            rows.append(row)
    return pd.DataFrame(rows)


def stage_status(card: pd.DataFrame) -> pd.DataFrame:
    """Per stage (guide's order): outputs met, outputs, and ``status`` — ``selesai`` (all met), ``berjalan``
    (some) or ``belum`` (none)."""
    rows = []
    for s in STAGES:
        mine = card[card["item"].isin([k for k, _ in s.items])]
        done, total = int(mine["selesai"].sum()), len(s.items)
        rows.append({"tahap": s.name, "kunci": s.key, "selesai": done, "jumlah": total,
                     "status": "selesai" if done == total else "berjalan" if done else "belum"})
    return pd.DataFrame(rows)


def standing(status: pd.DataFrame) -> dict[str, object]:
    """Where a kabupaten stands: stages complete (of five), outputs met (of all) and the first stage not yet
    complete (None when all five are).

    >>> st = pd.DataFrame({"tahap": ["A", "B"], "selesai": [3, 1], "jumlah": [3, 5],
    ...                    "status": ["selesai", "berjalan"]})
    >>> standing(st)
    {'tahap_selesai': 1, 'tahap_jumlah': 2, 'keluaran_selesai': 4, 'keluaran_jumlah': 8, 'berikutnya': 'B'}
    """
    open_ = status[status["status"] != "selesai"]
    return {"tahap_selesai": int((status["status"] == "selesai").sum()), "tahap_jumlah": len(status),
            "keluaran_selesai": int(status["selesai"].sum()), "keluaran_jumlah": int(status["jumlah"].sum()),
            "berikutnya": None if open_.empty else str(open_["tahap"].iloc[0])}


def budget_by_code(lines: pd.DataFrame) -> pd.DataFrame:
    """The budget lines summed by program and kegiatan (lines without a code under "tanpa kode"), largest first."""
    if lines.empty:
        return pd.DataFrame(columns=["program", "kegiatan", "baris", "nilai"])
    parts = lines["kode"].map(lambda c: parse_code(c) if not _blank(c) else None)
    df = lines.assign(program=parts.map(lambda p: p.get("program", "tanpa kode") if p else "tanpa kode"),
                      kegiatan=parts.map(lambda p: p.get("kegiatan", "tanpa kode") if p else "tanpa kode"),
                      nilai=pd.to_numeric(lines["nilai"], errors="coerce"))
    out = df.groupby(["program", "kegiatan"], as_index=False).agg(baris=("uraian", "size"), nilai=("nilai", "sum"))
    return out.sort_values("nilai", ascending=False).reset_index(drop=True)


GUIDE_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("Lombok Utara", "3.26", "Urusan Pemerintahan Bidang Pariwisata"),
    ("Lombok Utara", "3.26.02", "Program Peningkatan Daya Tarik Destinasi Wisata"),
    ("Lombok Utara", "3.26.02.2.02", "Pengelolaan Kawasan Strategis Pariwisata Kabupaten/Kota"),
    ("Lombok Utara", "3.26.02.2.02.07", "Penerapan Destinasi Pariwisata Berkelanjutan dalam Pengelolaan Kawasan "
                                        "Strategis Pariwisata Kabupaten/Kota"),
    ("Lombok Utara", "3.26.02.2.03.06", "Pemberdayaan Masyarakat dalam Pengelolaan Destinasi Pariwisata Kab./Kota "
                                        "(Kegiatan Pelatihan Pendamping Wisata)"),
    ("Bantaeng", "2.13.04.2.01.08", "Pembinaan dan Pemberdayaan BUMDes dan Lembaga Kerja Sama Antardesa"),
    ("Bantaeng", "5.5.02.2.01.11", "Fasilitasi, Pelaksanaan, dan Evaluasi Penelitian dan Pengembangan Bidang Badan "
                                   "Usaha Milik Desa"),
    ("Bantaeng", "7.01.06.2.01.14", "Fasilitasi Kerja Sama Antardesa dan Kerja Sama Desa dengan Pihak Ketiga "
                                    "(Kegiatan Kunjungan Offtaker ke Lokasi Komoditas)"),
    ("Trenggalek", "3.30.05", "Program Pengembangan Ekspor"),
    ("Trenggalek", "3.30.05.2.01.06", "Pembinaan Pelaku Usaha Ekspor (Kegiatan Fasilitasi Pelatihan Budidaya Teh dan "
                                      "Produksi Sesuai Standar Pasar; Fasilitasi Pembentukan Operator Keperantaraan)"),
)
"""Examples from the guide's Tabel 1 "Contoh Nomenklatur APBD untuk Pelaksanaan Keperantaraan Pasar" (kabupaten,
code, item), shown beside the budget editor."""
