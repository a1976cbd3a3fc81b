"""Results chain and results measurement (technical guideline, monitoring part): boxes on four levels
(Intervensi → Perubahan sistem pasar → Perbaikan akses dan pertumbuhan → Pengurangan kemiskinan), each
with indicators carrying the monitoring-plan fields (unit, baseline, target, data source, method,
responsible person, schedule), targets and realisations per period (append-only), disaggregated by sex
and disability; the APP indicator templates of the six themes; and the review log.

A new results chain built for a business model takes its targets from the model: households reached
per projection year, the POKMAS's sales volume, the additional net income per household.

References
----------
* Petunjuk teknis APP Provinsi Jawa Timur (``shared/seeds/000_…``): results-chain levels, the monitoring
  plan fields, the six indicator themes per data source, review meetings.
* Panduan replikasi dan pelembagaan Keperantaraan Pasar, KOMPAK (``shared/seeds/004_…``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analytics.business import calc
from analytics.core import edits

LEVELS: dict[int, str] = {1: "Intervensi", 2: "Perubahan sistem pasar", 3: "Perbaikan akses dan pertumbuhan",
                          4: "Pengurangan kemiskinan"}
DISAGGREGATIONS: tuple[str, ...] = ("total", "perempuan", "laki_laki", "disabilitas")
REVIEW_KINDS: tuple[str, ...] = ("bulanan", "triwulan", "semester", "akhir_tahun_1", "akhir_tahun_2")
"""The Juknis's review meetings: monthly, quarterly, half-yearly, end of year one, end of year two."""
DECISIONS: tuple[str, ...] = ("lanjut", "sesuaikan", "hentikan", "tambah")
"""Continue, adjust, stop, or add new interventions (the last only at a year-end review)."""
YEAR_END: frozenset[str] = frozenset({"akhir_tahun_1", "akhir_tahun_2"})
CHANGE_LEVELS: dict[str, tuple[int, str]] = {
    "kegiatan": (1, "Kelompok kegiatan"),
    "keluaran_mitra": (2, "Keluaran mitra lokal/mitra swasta"),
    "hasil_mitra": (3, "Hasil mitra lokal/mitra swasta"),
    "hasil_pokmas": (4, "Hasil POKMAS"),
    "dampak_sektor": (5, "Dampak sektor"),
    "dampak_pokmas": (6, "Dampak POKMAS"),
    "dampak_kemiskinan": (7, "Dampak kemiskinan"),
}
"""The Juknis's seven "Level Perubahan" (rank from the bottom, name): activities organised, partners' capacity,
partners' behaviour, POKMAS behaviour, sector competitiveness, POKMAS finances, poor people's livelihoods."""
CHANGE_BY_LEVEL: dict[int, tuple[str, ...]] = {
    1: ("kegiatan", "keluaran_mitra"),
    2: ("hasil_mitra", "hasil_pokmas", "dampak_sektor"),
    3: ("hasil_pokmas", "dampak_sektor", "dampak_pokmas"),
    4: ("dampak_kemiskinan",),
}
"""Which levels of change a box of each strategy level may be on; the first is a new box's default."""
BOX_COLUMNS = ["box", "level", "teks", "menuju", "perubahan"]
IND_COLUMNS = ["ind", "box", "nama", "tema", "sumber_kelompok", "satuan", "baseline", "target", "sumber_data", "metode",
               "penanggung_jawab", "jadwal", "pilah", "kunci", "jenis_data", "ukuran_sampel", "responden",
               "sumber_verifikasi"]
DATA_KINDS: tuple[str, ...] = ("kuantitatif", "kualitatif")
METHODS: dict[str, tuple[str, str]] = {
    "pokmas": ("Survei", "Anggota POKMAS/petani"),
    "bumdes_koperasi": ("Wawancara dan catatan usaha", "Pengurus BUMDes/koperasi"),
    "offtaker": ("Wawancara dan catatan usaha", "Off-taker"),
}
"""The Juknis's data collection per source ("POKMAS/PETANI: Survey; BUMDEs/Koperasi: Wawancara dan Catatan Usaha;
Offtaker: Wawancara dan Catatan Usaha") and the respondent it implies: pre-filled where left blank."""
THEMES: tuple[str, ...] = ("tenaga_kerja", "kinerja_usaha", "pendapatan_konsumsi", "peluang_ekonomi",
                           "akses_jaringan", "persepsi_dampak")
SOURCES: tuple[str, ...] = ("pokmas", "bumdes_koperasi", "offtaker")
_PERIOD = re.compile(r"^(\d{4})(?:-(S[12]|TW[1-4]|0[1-9]|1[0-2]))?$")

# The APP indicator themes per data source (technical guideline, "Pengukuran hasil"): theme, source,
# indicator, unit, disaggregated, the level it usually sits on.
APP_TEMPLATES = pd.DataFrame([
    ("tenaga_kerja", "pokmas", "Jumlah pekerja yang terlibat proses produksi", "orang", True, 3),
    ("tenaga_kerja", "pokmas", "Jumlah jam kerja per hari", "jam", True, 3),
    ("tenaga_kerja", "pokmas", "Anggota yang berusaha sendiri sebagai kedudukan dalam pekerjaan utama", "orang", True,
     3),
    ("tenaga_kerja", "bumdes_koperasi", "Jumlah petani/produsen yang menjadi pemasok BUMDes/koperasi",
     "orang", True, 2),
    ("tenaga_kerja", "offtaker", "Jumlah petani/produsen yang menjual hasil produksi ke off-taker", "orang", True, 2),
    ("kinerja_usaha", "pokmas", "Jumlah produksi dalam satu bulan terakhir", "kg", False, 3),
    ("kinerja_usaha", "pokmas", "Nilai produk yang dijual dalam satu bulan terakhir", "Rp", False, 3),
    ("kinerja_usaha", "pokmas", "Jumlah pesanan dalam satu bulan terakhir", "pesanan", False, 3),
    ("kinerja_usaha", "pokmas", "Harga jual produk", "Rp/kg", False, 3),
    ("kinerja_usaha", "pokmas", "Produktivitas per pekerja per bulan", "kg/orang", False, 3),
    ("kinerja_usaha", "pokmas", "Pembelian berulang dalam satu bulan terakhir", "kali", False, 3),
    ("kinerja_usaha", "pokmas", "Bagian penjualan ke pasar utama", "%", False, 3),
    ("kinerja_usaha", "pokmas", "Waktu produksi dalam satu bulan terakhir", "hari", False, 3),
    ("kinerja_usaha", "pokmas", "Nilai aset produksi", "Rp", False, 3),
    ("kinerja_usaha", "pokmas", "Nilai aset non-produksi", "Rp", False, 3),
    ("kinerja_usaha", "bumdes_koperasi", "Harga beli produk", "Rp/kg", False, 2),
    ("kinerja_usaha", "bumdes_koperasi", "Jumlah produk yang dibeli", "kg", False, 2),
    ("kinerja_usaha", "offtaker", "Harga beli produk", "Rp/kg", False, 2),
    ("kinerja_usaha", "offtaker", "Jumlah produk yang dibeli", "kg", False, 2),
    ("pendapatan_konsumsi", "pokmas", "Proporsi pendapatan dari usaha ini dalam pendapatan rumah tangga", "%", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Tambahan pendapatan bersih rumah tangga per tahun", "Rp", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Bagian belanja makanan dalam belanja rumah tangga sebulan", "%", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Proporsi pendapatan dari usaha ini dalam pendapatan individu", "%", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Bagian belanja pendidikan dan kesehatan dalam belanja rumah tangga sebulan",
     "%", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Bagian belanja transportasi dan komunikasi dalam belanja rumah tangga sebulan",
     "%", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Bagian belanja keperluan rumah dalam belanja rumah tangga sebulan", "%", True,
     4),
    ("pendapatan_konsumsi", "pokmas", "Bagian transfer (kiriman ke pihak lain) dalam belanja rumah tangga sebulan",
     "%", True, 4),
    ("pendapatan_konsumsi", "pokmas", "Bagian belanja lainnya dalam belanja rumah tangga sebulan", "%", True, 4),
    ("peluang_ekonomi", "pokmas", "Anggota rumah tangga yang bermigrasi keluar (bekerja di luar desa)",
     "orang", True, 4),
    ("peluang_ekonomi", "pokmas", "Anggota rumah tangga yang bermigrasi masuk (kembali atau datang bekerja di desa)",
     "orang", True, 4),
    ("akses_jaringan", "pokmas", "Anggota yang mendapat pelatihan terkait usaha", "orang", True, 3),
    ("akses_jaringan", "pokmas", "Anggota yang memakai telepon genggam/internet untuk usaha", "orang", True, 3),
    ("akses_jaringan", "pokmas", "Anggota yang memiliki produk keuangan formal (6 bulan terakhir)", "orang", True, 3),
    ("akses_jaringan", "bumdes_koperasi", "Memakai layanan keuangan formal untuk usaha (6 bulan terakhir)", "ya/tidak",
     False, 2),
    ("akses_jaringan", "bumdes_koperasi", "Memakai telepon genggam/internet untuk usaha", "ya/tidak", False, 2),
    ("akses_jaringan", "offtaker", "Memakai layanan keuangan formal untuk usaha (6 bulan terakhir)",
     "ya/tidak", False, 2),
    ("persepsi_dampak", "pokmas", "Anggota yang merasa pendapatannya meningkat", "%", True, 4),
    ("persepsi_dampak", "pokmas", "Anggota yang merasa pengetahuan dan kemampuannya meningkat", "%", True, 3),
    ("persepsi_dampak", "bumdes_koperasi", "Keuntungan dari keperantaraan yang dirasakan", "Rp", False, 2),
    ("persepsi_dampak", "bumdes_koperasi", "Investasi untuk keperantaraan", "Rp", False, 2),
    ("persepsi_dampak", "bumdes_koperasi", "Dampak sosial yang dirasakan", "skor 1-5", False, 2),
], columns=["tema", "sumber_kelompok", "nama", "satuan", "pilah", "level"])


def period_key(period: str) -> tuple[int, int]:
    """Sort key of a period: (year, last month it covers); ``2025`` counts as the whole year.

    >>> sorted(["2025", "2025-S1", "2024", "2025-TW1", "2025-03"], key=period_key)
    ['2024', '2025-TW1', '2025-03', '2025-S1', '2025']
    """
    m = _PERIOD.match(str(period).strip())
    if not m:
        return (9999, 99)
    y, sub = int(m.group(1)), m.group(2)
    month = 12 if sub is None else 6 * int(sub[1]) if sub.startswith("S") else 3 * int(sub[2]) if sub.startswith("TW") \
        else int(sub)
    return y, month


# pragma: no mutate start, outside the calculation core: input validation
def check_period(period: str) -> str | None:
    """A problem with a period's form, or None (2025, 2025-S1, 2025-TW3, 2025-07)."""
    return None if _PERIOD.match(str(period).strip()) else \
        f"periode '{period}' tidak dikenal; tulis 2025, 2025-S1, 2025-TW3 atau 2025-07"
# pragma: no mutate end


def before_start(period: str, target_periods: list[str]) -> str | None:
    """Why a realisation for ``period`` is refused when it falls in a year before the results chain starts
    (the year of its first target); None when it does not, or when the chain has no targets yet. The
    condition before the programme is the indicator's baseline, not a realisation.

    >>> before_start("2025-TW4", ["2027", "2026"])
    'periode 2025-TW4 sebelum rantai hasil dimulai (2026): kondisi sebelum program dicatat sebagai baseline'
    >>> before_start("2026-S1", ["2026", "2027"]) is None
    True
    """
    if not target_periods or check_period(period) is not None:
        return None
    first = min(target_periods, key=period_key)
    if period_key(period)[0] < period_key(first)[0]:
        return (f"periode {period} sebelum rantai hasil dimulai ({first}): "
                "kondisi sebelum program dicatat sebagai baseline")
    return None


# ---------------------------------------------------------------------- checks
# pragma: no mutate start, outside the calculation core: input validation of edited tables
def check(name: str, frame: pd.DataFrame, boxes: pd.DataFrame | None = None) -> list[str]:
    """Problems of the box or indicator table, naming the row and column."""
    out = []
    if name == "boxes":
        ids = frame["box"].astype(str).str.strip().tolist()
        for i, r in enumerate(frame.itertuples(), start=1):
            if not str(r.box).strip() or r.box != r.box:
                out.append(f"Kotak, baris {i}, kolom box: kode kotak kosong")
            if r.level not in LEVELS:
                levels = ", ".join(f"{k} {v}" for k, v in LEVELS.items())
                out.append(f"Kotak, baris {i}, kolom level: harus 1-4 ({levels})")
            if not isinstance(r.teks, str) or not r.teks.strip():
                out.append(f"Kotak, baris {i}, kolom teks: belum diisi")
            change = getattr(r, "perubahan", None)
            if r.level in LEVELS and isinstance(change, str) and change and change not in CHANGE_BY_LEVEL[r.level]:
                allowed = ", ".join(CHANGE_LEVELS[k][1] for k in CHANGE_BY_LEVEL[r.level])
                out.append(f"Kotak, baris {i}, kolom level perubahan: kotak level {r.level} ({LEVELS[r.level]}) berada "
                           f"pada {allowed}, bukan '{CHANGE_LEVELS.get(change, (0, change))[1]}'")
            if isinstance(r.menuju, str) and r.menuju.strip():
                if r.menuju.strip() not in ids:
                    out.append(f"Kotak, baris {i}, kolom menuju: kotak '{r.menuju}' tidak ada")
                else:
                    target = frame.loc[frame["box"].astype(str).str.strip() == r.menuju.strip()].iloc[0]
                    tgt = target["level"]
                    if tgt != r.level + 1 and r.level in LEVELS:
                        out.append(f"Kotak, baris {i}, kolom menuju: kotak level {r.level} harus menuju kotak level "
                                   f"{r.level + 1}, bukan level {tgt}")
                    elif (change in CHANGE_LEVELS and target.get("perubahan") in CHANGE_LEVELS
                          and CHANGE_LEVELS[target["perubahan"]][0] <= CHANGE_LEVELS[change][0]):
                        out.append(f"Kotak, baris {i}, kolom menuju: '{CHANGE_LEVELS[change][1]}' harus menuju level "
                                   f"perubahan yang lebih tinggi, bukan '{CHANGE_LEVELS[target['perubahan']][1]}'")
        for b in sorted({b for b in ids if ids.count(b) > 1}):
            out.append(f"Kotak: kode '{b}' muncul lebih dari sekali")
    elif name == "indicators":
        known = set(boxes["box"]) if boxes is not None else set()
        ids = frame["ind"].astype(str).str.strip().tolist()
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.box not in known:
                out.append(f"Indikator, baris {i}, kolom box: kotak '{r.box}' tidak ada di rantai hasil")
            if not isinstance(r.nama, str) or not r.nama.strip():
                out.append(f"Indikator, baris {i}, kolom nama: belum diisi")
            if not isinstance(r.satuan, str) or not r.satuan.strip():
                out.append(f"Indikator, baris {i}, kolom satuan: belum diisi")
            if isinstance(r.tema, str) and r.tema and r.tema not in THEMES:
                out.append(f"Indikator, baris {i}, kolom tema: '{r.tema}' bukan tema APP ({', '.join(THEMES)})")
            kind = getattr(r, "jenis_data", None)
            if isinstance(kind, str) and kind and kind not in DATA_KINDS:
                out.append(f"Indikator, baris {i}, kolom jenis data: '{kind}' bukan {' atau '.join(DATA_KINDS)}")
            size = getattr(r, "ukuran_sampel", None)
            if size is not None and not (isinstance(size, str) and not size.strip()) and not pd.isna(size):
                n = pd.to_numeric(pd.Series([size]), errors="coerce").iloc[0]
                if pd.isna(n) or n < 1 or n != int(n):
                    out.append(f"Indikator, baris {i}, kolom ukuran sampel: '{size}' harus bilangan bulat 1 atau lebih")
        for b in sorted({b for b in ids if ids.count(b) > 1}):
            out.append(f"Indikator: kode '{b}' muncul lebih dari sekali")
    return out
# pragma: no mutate end


# ---------------------------------------------------------------------- storage
# pragma: no mutate start, outside the calculation core: drops empty edited rows
def _draft(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    df = edits.clean(frame, BOX_COLUMNS if name == "boxes" else IND_COLUMNS, "box" if name == "boxes" else "ind")
    if name == "indicators":
        df["pilah"] = df["pilah"].fillna(False).astype(bool)
        df = plan_defaults(df)
        df["ukuran_sampel"] = pd.to_numeric(df["ukuran_sampel"], errors="coerce").astype("Int64")
    else:
        df = box_defaults(df)
    return df.reset_index(drop=True)


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


def plan_defaults(indicators: pd.DataFrame) -> pd.DataFrame:
    """The monitoring plan with the Juknis's collection method and respondent filled in where left blank, by the
    indicator's data source (:data:`METHODS`): a POKMAS indicator is surveyed among its members, a BUMDes/koperasi
    or off-taker one is asked in an interview and read from business records.

    >>> plan = pd.DataFrame({"sumber_kelompok": ["pokmas", "offtaker", None], "metode": [None, "Observasi", None],
    ...                      "responden": ["", None, None]})
    >>> plan_defaults(plan)[["metode", "responden"]].fillna("-").values.tolist()
    [['Survei', 'Anggota POKMAS/petani'], ['Observasi', 'Off-taker'], ['-', '-']]
    """
    out = indicators.copy()
    for col, k in (("metode", 0), ("responden", 1)):
        out[col] = [METHODS[s][k] if _blank(v) and s in METHODS else (None if _blank(v) else v)
                    for v, s in zip(out[col], out["sumber_kelompok"], strict=True)]
    return out


def box_defaults(boxes: pd.DataFrame) -> pd.DataFrame:
    """Boxes with a level of change: a blank one is the first its strategy level allows (:data:`CHANGE_BY_LEVEL`).

    >>> box_defaults(pd.DataFrame({"level": [1, 4, 2], "perubahan": [None, "", "hasil_pokmas"]}))["perubahan"].tolist()
    ['kegiatan', 'dampak_kemiskinan', 'hasil_pokmas']
    """
    out = boxes.copy()
    if "perubahan" not in out.columns:
        out["perubahan"] = None
    out["perubahan"] = [CHANGE_BY_LEVEL[lv][0] if _blank(v) and lv in CHANGE_BY_LEVEL else (None if _blank(v) else v)
                        for v, lv in zip(out["perubahan"], out["level"], strict=True)]
    return out
# pragma: no mutate end


def starting_tables(model_tables: dict[str, pd.DataFrame] | None, evaluation, chain_problems: pd.DataFrame | None,
                    start_year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Boxes, indicators and per-period targets of a new results chain; from a business model (its
    evaluation) when given: interventions from the value chain's root causes, the partners' buying as the
    market-system change, POKMAS sales and households reached as access and growth, additional income per
    household as poverty reduction."""
    boxes = [("I1", 1, "Menghubungkan POKMAS dengan mitra lokal dan off-taker yang membeli secara konsisten", "S1",
              "kegiatan")]
    if chain_problems is not None and not chain_problems.empty:
        roots = chain_problems[chain_problems["akar"].fillna(False).astype(bool) & chain_problems["intervensi"].notna()]
        boxes = [(f"I{i}", 1, str(t), "S1", "kegiatan") for i, t in enumerate(roots["intervensi"], start=1)] or boxes
    boxes += [("S1", 2, "Skema hubungan bisnis yang berkelanjutan antara POKMAS, BUMDes/koperasi dan off-taker", "A1",
               "hasil_mitra"),
              ("A1", 3, "POKMAS dan masyarakat miskin lainnya menjual lebih banyak dengan harga lebih baik", "P1",
               "hasil_pokmas"),
              ("P1", 4, "Pendapatan rumah tangga miskin sasaran meningkat", None, "dampak_kemiskinan")]
    inds = [
        ("K1", "S1", "Volume pembelian mitra lokal dari POKMAS", "kinerja_usaha", "bumdes_koperasi", "kg", 0.0, None,
         "Catatan pembelian BUMDes/koperasi", "Pencatatan", "SPPH-APP kabupaten", "triwulan", False, None),
        ("K2", "A1", "Rumah tangga terjangkau (kumulatif)", "tenaga_kerja", "pokmas", "rumah tangga", 0.0, None,
         "Daftar anggota POKMAS", "Pencatatan", "Pendamping kelompok", "semester", True, "rt_terjangkau"),
        ("K3", "A1", "Volume penjualan POKMAS", "kinerja_usaha", "pokmas", "kg", None, None, "Catatan penjualan POKMAS",
         "Pencatatan", "Pendamping kelompok", "triwulan", False, None),
        ("K4", "P1", "Tambahan pendapatan bersih rumah tangga per tahun", "pendapatan_konsumsi", "pokmas", "Rp", 0.0,
         None,
         "Survei rumah tangga sasaran", "Survei", "SPPH-APP kabupaten", "tahunan", True, "pendapatan_rt"),
    ]
    ind = pd.DataFrame(inds, columns=IND_COLUMNS[:14]).assign(
        # the survey: the Juknis's "10 – 30 rumah tangga" interviewed per community, at its upper end
        jenis_data="kuantitatif", ukuran_sampel=[None, None, None, 30], responden=None,
        sumber_verifikasi=["Catatan pembelian BUMDes/koperasi", "Daftar anggota POKMAS", "Buku penjualan POKMAS",
                           "Kuesioner survei rumah tangga"])
    ind = plan_defaults(ind)
    ind["ukuran_sampel"] = ind["ukuran_sampel"].astype("Int64")
    targets = []
    if evaluation is not None and model_tables is not None:
        lines = evaluation.lines.get("pokmas")
        if lines is not None:
            before = calc.calculate(lines, "sebelum")
            ind.loc[ind["ind"] == "K3", "baseline"] = before.volume
            local = evaluation.lines.get("mitra_lokal")
            if local is not None:
                pokmas = model_tables["actors"].set_index("peran")["nama"].get("pokmas", "")
                buys = local[(local["jenis"] == "biaya_variabel")
                             & local["uraian"].str.lower().str.contains(str(pokmas).lower(), regex=False)]
                lb = buys.loc[buys["skenario"] == "sebelum", "volume"].sum()
                la = buys.loc[buys["skenario"] == "sesudah", "volume"].sum()
                ind.loc[ind["ind"] == "K1", ["baseline", "target"]] = [float(lb), float(la)]
        proj = evaluation.projection
        per_rt = float(evaluation.summary.set_index("peran")["tambahan_per_rt"].get("pokmas", np.nan))
        ind.loc[ind["ind"] == "K2", "target"] = float(proj["rt_terjangkau"].iloc[-1])
        ind.loc[ind["ind"] == "K3", "target"] = float(proj["volume_pokmas"].iloc[-1])
        ind.loc[ind["ind"] == "K4", "target"] = per_rt
        for r in proj.itertuples():  # K4 per year: what an active household earns while the gain ramps up
            per = str(start_year + int(r.tahun) - 1)
            earned = per_rt * r.rt_berpenghasilan / r.rt_aktif if r.rt_aktif else per_rt
            targets += [("K2", per, float(r.rt_terjangkau)), ("K3", per, float(r.volume_pokmas)), ("K4", per, earned)]
    return (pd.DataFrame(boxes, columns=BOX_COLUMNS), ind,
            pd.DataFrame(targets, columns=["ind", "period", "value"]))


def progress(indicators: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Target vs realisation per indicator and period: target, realisation, achievement (realisation ÷
    target), change of the realisation from the previous period with one, and the disaggregated
    realisations (perempuan, laki_laki, disabilitas)."""
    cols = ["ind", "nama", "satuan", "period", "target", "realisasi", "capaian", "perubahan", "perempuan", "laki_laki",
            "disabilitas"]
    if values.empty:
        return pd.DataFrame(columns=cols)
    wide = values.pivot_table(index=["ind", "period"], columns=["jenis", "pilah"], values="value", aggfunc="last")
    rows = []
    names = indicators.set_index("ind")
    for (ind, per), r in wide.iterrows():
        def get(j: str, p: str, r: pd.Series = r) -> float:
            return float(r.get((j, p), np.nan)) if (j, p) in r.index else np.nan

        t, a = get("target", "total"), get("realisasi", "total")
        rows.append({"ind": ind, "nama": names["nama"].get(ind, ind), "satuan": names["satuan"].get(ind, ""),
                     "period": per, "target": t, "realisasi": a,
                     "capaian": a / t if t and t == t and a == a else np.nan,
                     "perempuan": get("realisasi", "perempuan"), "laki_laki": get("realisasi", "laki_laki"),
                     "disabilitas": get("realisasi", "disabilitas")})
    out = pd.DataFrame(rows)
    out["_k"] = out["period"].map(period_key)
    out = out.sort_values(["ind", "_k"]).drop(columns="_k").reset_index(drop=True)
    prev = out.groupby("ind")["realisasi"].transform(lambda s: s.ffill().shift(1))
    out["perubahan"] = out["realisasi"] - prev
    return out[cols]
