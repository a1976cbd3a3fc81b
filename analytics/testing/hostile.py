"""The hostile-file corpus: broken, odd and malicious files for every upload path of the app (boundaries,
tables, registers, ADKAR responses, value-chain workbooks, PCI workbooks, the crosswalk), each with
what its refusal must say. Used by ``tests/unit/io/test_hostile_corpus.py`` (every file refused with a
clear Bahasa Indonesia message, nothing stored) and by ``bench/run.py`` (the ``hostile.*`` figures).

Every file is made here, from the demo database's own areas, chains and forms; nothing is read from
outside. A case passes when the import raises :class:`ImportRejected` whose message names the file and
holds every expected piece, contains no English library text and no server path, and every table
checksum (the audit log included) is unchanged.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analytics.core.db import Database
from analytics.core.problems import ImportRejected

PATHS = ("tabel", "register", "batas", "adkar", "rantai", "pci", "silang")
ENGLISH = ("error", "Error", "cannot", "index out of range", "engine", "File is not", "No such", "Traceback",
           "/tmp/", "/work/", "/home/", "object has no", "invalid literal", "codec", "NoneType")


@dataclass(frozen=True)
class Case:
    """One hostile file for one upload path, and the pieces its refusal must hold (besides the file name)."""

    path: str
    name: str
    data: bytes
    expect: tuple[str, ...]
    why: str  # what is wrong with it, for a report


@dataclass
class Outcome:
    """What the corpus did: counts and, for every case that was not a clean refusal, why."""

    tried: int = 0
    clear: int = 0
    crashes: list[str] = field(default_factory=list)
    partial_writes: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)     # accepted although it must be refused
    unclear: list[str] = field(default_factory=list)    # refused, but the message misses a piece or is English

    def figures(self) -> dict[str, int]:
        """The counts the closing note and the bench report."""
        return {"files": self.tried, "clear": self.clear, "crashes": len(self.crashes),
                "partial_writes": len(self.partial_writes), "silent": len(self.silent), "unclear": len(self.unclear)}


def upload_paths(db: Database) -> dict[str, Callable[[str, bytes], object]]:
    """Every upload path of the app, as a function of (file name, bytes), with a role allowed to use it."""
    from analytics.io import pipeline
    from analytics.monitoring import store as mon_store
    from analytics.valuechain import store as vc_store

    chain = int(vc_store.vc_chains(db)["id"].iloc[0])
    rubric = mon_store.ensure_reference(db)
    return {
        "tabel": lambda n, d: pipeline.import_table(db, "perencana", "uji", n, d, "BPS", default_period=2021),
        "register": lambda n, d: pipeline.import_register(db, "perencana", "uji", n, d, "DTKS", 2024),
        "batas": lambda n, d: pipeline.import_boundaries(db, "admin", "uji", n, d, None),
        "adkar": lambda n, d: mon_store.import_responses(db, "pemantau", "uji", n, d),
        "rantai": lambda n, d: vc_store.import_xlsx(db, "pokja", "uji", chain, n, d),
        "pci": lambda n, d: mon_store.import_workbook(db, "pemantau", "uji", n, d, rubric),
        "silang": lambda n, d: pipeline.import_crosswalk(db, "perencana", "uji", n, d),
    }


BATCH_WRITE = "(satu atau lebih berkas kumpulan ini mengubah data; jalankan per berkas untuk tahu yang mana)"


def run(db: Database, cases: list[Case], per_case: bool = True) -> Outcome:
    """Try every case on ``db``; classify each outcome. Every table's checksum is compared after each
    case, or with ``per_case=False`` once after the whole batch (a changed store is then reported as
    :data:`BATCH_WRITE`, without naming the file: for the test suite, where any change fails)."""
    paths = upload_paths(db)
    out = Outcome()
    first = before = db.table_checksums()  # each case's "after" is the next one's "before"

    def changed() -> bool:
        nonlocal before
        if not per_case:
            return False
        after = db.table_checksums()
        moved, before = after != before, after
        return moved

    for case in cases:
        out.tried += 1
        label = f"{case.path}/{case.name} ({case.why})"
        try:
            paths[case.path](case.name, case.data)
        except ImportRejected as exc:
            msg = str(exc)
            if changed():
                out.partial_writes.append(label)
            missing = [p for p in (f"Berkas '{case.name}'", *case.expect) if p not in msg]
            english = [w for w in ENGLISH if w in msg] + (["NIK"] if re.search(r"\d{16}", msg) else [])
            if missing or english:  # a 16-digit run (ASCII, full-width or Arabic-Indic) would be a NIK echoed
                out.unclear.append(f"{label}: tidak ada {missing}, Inggris/jalur {english}: {msg[:300]}")
            else:
                out.clear += 1
            continue
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            out.crashes.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
            if changed():
                out.partial_writes.append(label)
            continue
        changed()  # an accepted file changes the data: the next case starts from there
        out.silent.append(label)
    if not per_case and db.table_checksums() != first:
        out.partial_writes.append(BATCH_WRITE)
    return out


# ---------------------------------------------------------------------- building blocks
def _xlsx(frames: dict[str, pd.DataFrame], header: bool = True) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        for sheet, df in frames.items():
            df.to_excel(w, sheet_name=sheet, index=False, header=header)
    return buf.getvalue()


def _edit_xlsx(data: bytes, edit: Callable[[object], None]) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    edit(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _areas(db: Database, level: str, prefix: str = "") -> pd.DataFrame:
    from analytics.core import store as core_store

    areas = core_store.area_table(db)
    return areas[(areas["level"] == level) & areas["kode"].str.startswith(prefix)]


def _unreadable() -> list[tuple[str, bytes, tuple[str, ...], str]]:
    """Files no upload path can read, whatever it expects."""
    rng = random.Random(14)
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600
    return [
        ("kosong.csv", b"", ("berkas kosong",), "empty"),
        ("spasi.xlsx", b"  \n ", ("berkas kosong",), "whitespace only"),
        ("lama.xls", ole, ("format lama (.xls) atau dilindungi kata sandi",), "legacy xls"),
        ("terkunci.xlsx", ole, ("dilindungi kata sandi",), "encrypted workbook"),
        ("laporan.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n", ("PDF",), "PDF"),
        ("potong.xlsx", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(300)), ("rusak",), "truncated zip"),
        ("gambar.png", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300)), ("berkas",), "an image"),
    ]


def _table_cases(db: Database) -> list[Case]:
    good = "kode;nama;p0\n35.01;Pacitan;15,11\n35.02;Ponorogo;10,26\n35.03;Trenggalek;12,14\n"
    people = "kode;nama;penduduk miskin\n35.01;Pacitan;{a}\n35.02;Ponorogo;{b}\n35.03;Trenggalek;{c}\n"
    rows = [
        ("teks.csv", good.replace("15,11", "lima belas"), ("baris 2", "kolom 'p0'", "bukan angka"), "text as number"),
        ("tak_hingga.csv", good.replace("15,11", "inf"), ("baris 2", "'inf' bukan angka"), "inf in the first row"),
        ("raksasa.csv", good.replace("15,11", "1e308"), ("baris 2", "'1e308' bukan angka"), "1e308 in the first row"),
        ("rumus.csv", good.replace("12,14", "=1+1"), ("baris 4", "rumus tanpa nilai"), "formula text"),
        ("injeksi.csv", good.replace("12,14", "=cmd|' /C calc'!A0"), ("baris 4", "kolom 'p0'"), "DDE injection"),
        ("lebih_100.csv", good.replace("15,11", "100,0001"), ("persentase 100,0001 di luar 0-100",), "P0 > 100"),
        ("negatif.csv", good.replace("10,26", "-0,5"), ("baris 3", "persentase -0,5"), "negative P0"),
        ("pecahan.csv", good.replace("15,11", "0,1511").replace("10,26", "0,1026").replace("12,14", "0,1214"),
         ("kolom 'p0'", "tampaknya pecahan"), "P0 as fraction"),
        ("ribuan.csv", people.format(a="88,123", b="67,456", c="93,104"),
         ("kolom 'penduduk miskin'", "bisa dibaca sebagai ribuan"), "ambiguous thousands"),
        ("minus.csv", people.format(a="88.123", b="-67", c="1.093.104"), ("baris 3", "nilai negatif -67"),
         "negative count"),
        ("kebanyakan.csv", people.format(a="88.123.000", b="1.067.456", c="93.104"),
         ("baris 2", "di atas kisaran yang mungkin"), "count above the area's range"),
        ("lebih_miskin.csv", "kode;nama;penduduk;penduduk miskin\n35.01;Pacitan;588.123;1.600.000\n"
         "35.02;Ponorogo;887.456;90.123\n35.03;Trenggalek;1.123.456;100.000\n",
         ("baris 2", "penduduk miskin 1.600.000 lebih banyak dari penduduk 588.123"), "more poor than people"),
        ("kode_asing.csv", good.replace("35.02", "35.99"), ("baris 3", "'35.99' tidak dikenali"), "unknown code"),
        ("ganda.csv", good.replace("35.03;Trenggalek", "35.01;Pacitan"), ("nilai ganda",), "duplicate area"),
        ("tanpa_wilayah.csv", "tahun;p0\n2021;15,11\n2021;10,26\n", ("wilayah",), "no area column"),
        ("hanya_judul.csv", "kode;nama;p0\n", ("hanya berisi judul kolom",), "header only"),
        ("angka_arab.csv", good.replace("15,11", "١٥,١١"), ("baris 2", "bukan angka"), "Arabic-Indic digits"),
        ("lebar_penuh.csv", good.replace("10,26", "１０,２６"), ("baris 3", "bukan angka"), "full-width digits"),
        ("tahun_teks.csv", "kode;tahun;p0\n35.01;dua ribu;15,11\n35.02;2021;10,26\n",
         ("baris 2", "bukan tahun"), "year as text"),
        ("biner.csv", bytes(range(256)) * 4, ("berkas",), "binary as CSV"),
        ("utf16.csv", good.replace("10,26", "sepuluh").encode("utf-16-le"), ("baris 3", "'sepuluh' bukan angka"),
         "UTF-16 without a BOM, read as such"),
    ]
    out = []
    for name, text, expect, why in rows:
        data = text if isinstance(text, bytes) else text.encode()
        out.append(Case("tabel", name, data, expect, why))
    formula = _edit_xlsx(_xlsx({"Sheet1": pd.DataFrame({"kode": ["35.01", "35.02"], "nama": ["Pacitan", "Ponorogo"],
                                                        "p0": [15.11, 10.26]})}),
                         lambda b: b.active.__setitem__("C2", "=C3*2"))
    out.append(Case("tabel", "rumus_tanpa_nilai.xlsx", formula, ("baris 2", "rumus tanpa nilai"),
                    "uncached formula in the first data row"))
    return out


_REG_HEADER = "nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art\n"


def _reg(rows: list[str]) -> bytes:
    return (_REG_HEADER + "\n".join(rows) + "\n").encode()


def _register_cases(db: Database) -> list[Case]:
    desa = _areas(db, "desa", "35.07.")["kode"].min()

    def rows(n: int = 3) -> list[str]:
        return [f"35070101019000{i:02d},{desa},2,pertanian,P,tidak,4" for i in range(1, n + 1)]

    def with_row(i: int, old: str, new: str) -> bytes:
        r = rows()
        r[i] = r[i].replace(old, new, 1)
        return _reg(r)

    nik = "3507010101900002"
    cases = [
        ("nik_pendek.csv", with_row(1, nik, nik[:-1]), ("baris 3", "kolom 'nik'", "16 angka"), "NIK 15 digits"),
        ("nik_panjang.csv", with_row(1, nik, nik + "7"), ("baris 3", "16 angka"), "NIK 17 digits"),
        ("nik_huruf.csv", with_row(1, nik, "35070101019000AB"), ("baris 3", "hanya boleh berisi angka"),
         "letters in NIK"),
        ("nik_lebar.csv", with_row(1, nik, "３５０７０１０１０１９０００９９"), ("baris 3", "angka 0-9"),
         "full-width NIK"),
        ("nik_arab.csv", with_row(1, nik, "٣٥٠٧٠١٠١٠١٩٠٠٠٩٩"), ("baris 3", "angka 0-9"), "Arabic-Indic NIK"),
        ("nik_ilmiah.csv", with_row(1, nik, '"3,50701E+15"'), ("baris 3", "15 angka pertama"), "NIK as 3,5E+15"),
        ("nik_sama.csv", with_row(1, nik, "1111111111111111"), ("baris 3", "16 angka yang sama"), "NIK one digit"),
        ("nik_ganda.csv", with_row(1, nik, "3507010101900001"), ("baris 3", "kolom 'nik'"), "duplicate NIK"),
        ("desil_0.csv", with_row(1, ",2,pertanian", ",0,pertanian"), ("baris 3", "kolom 'desil'"), "desil 0"),
        ("desil_teks.csv", with_row(1, ",2,pertanian", ",dua,pertanian"), ("baris 3", "kolom 'desil'"), "desil text"),
        ("kelamin.csv", with_row(1, ",P,tidak", ",X,tidak"), ("baris 3", "kolom 'jenis_kelamin_kk'"), "sex X"),
        ("desa_asing.csv", with_row(1, desa, "35.07.99.2099"), ("baris 3", "kolom 'kode_desa'"), "unknown desa"),
        ("tanpa_nik.csv", _reg(rows()).replace(b"nik,", b"nomor,", 1), ("nik",), "no NIK column"),
        ("hanya_judul.csv", _REG_HEADER.encode(), ("hanya berisi judul kolom",), "header only"),
        ("tertukar.csv", _reg(rows()).replace(b"nik,kode_desa", b"kode_desa,nik", 1), ("baris 2",),
         "NIK and kode_desa labels swapped"),
        ("anggota_negatif.csv", with_row(1, ",tidak,4", ",tidak,-3"), ("baris 3", "kolom 'jumlah_art'"),
         "negative household size"),
    ]
    out = [Case("register", name, data, expect, why) for name, data, expect, why in cases]
    numeric = _xlsx({"Sheet1": pd.DataFrame({
        "nik": [3507010101900001, 3507010101900002], "kode_desa": [desa, desa], "desil": [2, 3],
        "sektor": ["pertanian", "perikanan"], "jenis_kelamin_kk": ["P", "L"], "disabilitas": ["tidak", "ya"],
        "jumlah_art": [4, 3]})})
    out.append(Case("register", "nik_angka.xlsx", numeric, ("baris 2", "kolom 'nik'", "tersimpan sebagai angka"),
                    "NIK as a number cell in a workbook"))
    return out


def collection(*features: dict) -> bytes:
    """A GeoJSON FeatureCollection of ``features``, as bytes."""
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(kode: str, coords: object, gtype: str = "Polygon") -> dict:
    """A GeoJSON feature with ``kode`` as its code and name (``coords`` None: no geometry)."""
    return {"type": "Feature", "properties": {"kode": kode, "nama": kode},
            "geometry": None if coords is None else {"type": gtype, "coordinates": coords}}


def _boundary_cases(db: Database) -> list[Case]:
    pts = _areas(db, "kabupaten", "35.").sort_values("kode").head(5)

    def square(i: int, half: float = 0.08, dx: float = 0.0, dy: float = 0.0) -> list:
        lon, lat = float(pts["lon"].iat[i]) + dx, float(pts["lat"].iat[i]) + dy
        return [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
                 [lon - half, lat + half], [lon - half, lat - half]]]

    k = pts["kode"].tolist()
    desas = _areas(db, "desa", k[0] + ".").sort_values("kode")
    desa, dlon, dlat = desas[["kode", "lon", "lat"]].iloc[0]
    h = 0.25  # a square half a degree wide: larger than the whole kabupaten (Pacitan, about 0,11 square degrees)
    giant = [[[dlon - h, dlat - h], [dlon + h, dlat - h], [dlon + h, dlat + h], [dlon - h, dlat + h],
              [dlon - h, dlat - h]]]
    zero = [[[112.0, -7.5], [112.1, -7.5], [112.2, -7.5], [112.0, -7.5]]]
    swapped = [[[y, x] for x, y in ring] for ring in square(0)]
    metres = [[[650000, 9170000], [660000, 9170000], [660000, 9180000], [650000, 9180000], [650000, 9170000]]]
    topo_broken = b'{"type": "Topology", "objects": {"kab": {"type": "GeometryCollection", "geometries": [' \
                  b'{"type": "Polygon", "arcs": [[0]]}]}}, "arcs": []}'
    cases = [
        ("geser.geojson", collection(*(feature(c, square((i + 1) % 5)) for i, c in enumerate(k))),
         ("tampaknya bergeser atau tertukar",), "codes rotated by one"),
        ("laut.geojson", collection(feature(k[0], square(0, dy=0.6)), feature(k[1], square(1))),
         ("fitur 1", "km di luar poligonnya"), "shape moved away from its place"),
        ("raksasa.geojson", collection(feature(desa, giant)), ("fitur 1", "lebih luas dari kabupaten/kotanya"),
         "desa larger than its kabupaten"),
        ("nol.geojson", collection(feature(k[0], zero)), ("fitur 1", "tidak dapat diperbaiki"), "zero-area polygon"),
        ("kosong_geom.geojson", collection(feature(k[0], None)), ("kolom 'geometry'", "tidak satu pun fitur memiliki "
                                                            "geometri"), "null geometry"),
        ("satu_kosong.geojson", collection(feature(k[0], square(0)), feature(k[1], None)), ("fitur 2", "kosong"),
         "one null geometry among good ones"),
        ("titik.geojson", collection(feature(k[0], [112.0, -7.5], "Point")), ("fitur 1", "bukan poligon"), "a point"),
        ("latlon.geojson", collection(feature(k[0], swapped)), ("CRS", "tertukar"), "lat/lon swapped"),
        ("meter.geojson", collection(feature(k[0], metres)), ("bukan derajat",), "metres without CRS"),
        ("asing.geojson", collection(feature("35.99", square(0))), ("fitur 1", "'35.99' tidak dikenali"),
         "unknown code"),
        ("dobel.geojson", collection(feature(k[0], square(0)), feature(k[0].replace(".", ""), square(0))),
         ("lebih dari sekali",), "the same area twice"),
        ("campur.geojson", collection(feature(k[0], square(0)), feature(desa, square(0, 0.01))),
         ("beberapa tingkat",), "two levels in one file"),
        ("tanpa_kode.geojson", json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"warna": "merah"}, "geometry": {"type": "Polygon",
                                                                               "coordinates": square(0)}}]}).encode(),
         ("tidak ada kolom kode atau nama wilayah",), "no code or name column"),
        ("topo_rusak.topojson", topo_broken, ("berkas rusak", "TopoJSON"), "broken TopoJSON"),
        ("bukan_json.geojson", b'{"type": "FeatureCollection", "features": [', ("berkas",), "truncated JSON"),
        ("shp_tanpa_dbf.zip", _zip({"batas.shp": b"\0" * 100, "batas.shx": b"\0" * 100}), (".dbf",),
         "shapefile without .dbf"),
        ("zip_kosong.zip", _zip({}), ("berkas",), "empty zip"),
    ]
    return [Case("batas", name, data, expect, why) for name, data, expect, why in cases]


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _adkar_cases(db: Database) -> list[Case]:
    from analytics.monitoring import adkar

    ind = adkar.indicators()
    petani = ind[ind["group"] == "petani"]["indicator_code"].iloc[0]
    head = "kode_responden;kelompok_aktor;periode;kode_indikator;skor\n"
    rows = [
        ("tanpa_periode.csv", "kode_responden;kelompok_aktor;kode_indikator;skor\nX;petani;4A-AW-a;1\n",
         ("kolom 'periode'", "kolom wajib tidak ada"), "no period column"),
        ("skor3.csv", head + f"X;petani;2025;{petani};3\n", ("baris 2", "kolom 'skor'"), "score 3"),
        ("skor_negatif.csv", head + f"X;petani;2025;{petani};-1\n", ("baris 2", "kolom 'skor'"), "score -1"),
        ("skor_teks.csv", head + f"X;petani;2025;{petani};baik\n", ("baris 2", "kolom 'skor'"), "score text"),
        ("kode_asing.csv", head + "X;petani;2025;9Z-AW-a;1\n", ("'9Z-AW-a' bukan kode indikator ADKAR",),
         "unknown indicator"),
        ("kelompok_salah.csv", head + f"X;keuangan;2025;{petani};1\n", ("milik kelompok petani",), "wrong group"),
        ("periode_salah.csv", head + f"X;petani;Mei 2025;{petani};1\n", ("baris 2", "periode 'Mei 2025'"),
         "period text"),
        ("hanya_judul.csv", head, ("hanya berisi judul kolom",), "header only"),
    ]
    return [Case("adkar", name, text.encode(), expect, why) for name, text, expect, why in rows]


def _chain_cases(db: Database) -> list[Case]:
    from analytics.render import documents
    from analytics.valuechain import store as vc_store

    demo = vc_store.vc_chains(db).query("commodity == 'kopi'").iloc[0]
    data = documents.chain_xlsx(demo, vc_store.load(db, int(demo["id"])))

    def cell(sheet: str, ref: str, value: object) -> bytes:
        return _edit_xlsx(data, lambda b: b[sheet].__setitem__(ref, value))

    rows = [
        ("pelaku_asing.xlsx", cell("Aliran", "C5", "Z"), ("lembar 'Aliran'", "baris 5", "'Z'"), "unknown actor"),
        ("harga_teks.xlsx", cell("Aliran", "F6", "mahal"), ("baris 6", "kolom 'Harga (Rp/satuan)'", "bukan angka"),
         "price as text"),
        ("tanpa_volume.xlsx", cell("Aliran", "D3", "jumlah"), ("kolom volume tidak ada",), "volume header renamed"),
        ("lain.xlsx", _xlsx({"Lain": pd.DataFrame({"a": [1]})}), ("tidak ada lembar",), "no chain sheets"),
        ("harga_negatif.xlsx", cell("Aliran", "F6", -5000), ("baris 6", "kolom 'harga'"), "negative price"),
        ("volume_negatif.xlsx", cell("Aliran", "E6", -10), ("baris 6",), "negative volume"),
    ]
    return [Case("rantai", name, d, expect, why) for name, d, expect, why in rows]


def _pci_cases(db: Database) -> list[Case]:
    from analytics.monitoring import scorecard
    from analytics.monitoring import store as mon_store
    from analytics.render import documents

    rid = mon_store.ensure_reference(db)
    gid = int(mon_store.pci_groups(db)["id"].iloc[0])
    data = documents.xlsx_bytes(*scorecard.workbook_sheets(db, rid, gid, 2025))

    def form_row(key: str, col: int, value: object, clear_level: bool = False) -> bytes:
        def edit(book) -> None:  # noqa: ANN001
            for row in book["Form Isian"].iter_rows():
                if str(row[0].value) == key:
                    row[col].value = value
                    if clear_level:
                        row[3].value = None
                    break
        return _edit_xlsx(data, edit)

    rows = [
        ("tanpa_form.xlsx", _xlsx({"Sheet1": pd.DataFrame({"a": [1]})}), ("lembar kerja 'Form Isian' tidak ada",),
         "no form sheet"),
        ("tahun.xlsx", form_row("Tahun", 1, "dua ribu"), ("tahun 'dua ribu' bukan tahun yang sah",), "year text"),
        ("nilai_teks.xlsx", form_row("1", 2, "banyak", True), ("kolom 'Hasil pengamatan'", "'banyak' bukan angka"),
         "value text"),
        ("celah.xlsx", form_row("1", 2, 50.5, True), ("indikator 1", "tidak tercakup rubrik"), "value in a rubric gap"),
        ("kelompok_kosong.xlsx", form_row("Kelompok", 1, None), ("Kelompok",), "no group name"),
    ]
    return [Case("pci", name, d, expect, why) for name, d, expect, why in rows]


def _crosswalk_cases(db: Database) -> list[Case]:
    desa = _areas(db, "desa", "35.01.").sort_values("kode")["kode"].tolist()
    head = "kode_bps;kode_kemendagri;metode;keyakinan\n"
    rows = [
        ("tanpa_kolom.csv", "bps;kemendagri\n3501010001;35.01.01.2001\n", ("kolom 'kode_bps'", "kolom wajib"),
         "columns named otherwise"),
        ("hanya_judul.csv", head, ("hanya berisi judul kolom",), "header only"),
        ("bps_pendek.csv", head + f"350101001;{desa[0]};x;1\n", ("baris 2", "kolom 'kode_bps'", "10 angka"),
         "BPS code of nine digits"),
        ("kemendagri_asing.csv", head + "3501010001;35.01.99.2999;x;1\n", ("baris 2", "kolom 'kode_kemendagri'"),
         "unknown Kemendagri desa"),
        ("kecamatan.csv", head + "3501010001;35.01.01;x;1\n", ("baris 2", "kolom 'kode_kemendagri'"),
         "a kecamatan code, not a desa"),
        ("keyakinan.csv", head + f"3501010001;{desa[0]};x;1,5\n", ("baris 2", "kolom 'keyakinan'"),
         "confidence above 1"),
        ("ganda_bps.csv", head + f"3501010001;{desa[0]};x;1\n3501010001;{desa[1]};x;1\n",
         ("baris 3", "kolom 'kode_bps'", "lebih dari sekali"), "one BPS code twice"),
        ("ganda_kemendagri.csv", head + f"3501010001;{desa[0]};x;1\n3501010002;{desa[0]};x;1\n",
         ("baris 3", "kolom 'kode_kemendagri'", "lebih dari sekali"), "one desa twice"),
    ]
    return [Case("silang", name, text.encode(), expect, why) for name, text, expect, why in rows]


def corpus(db: Database) -> list[Case]:
    """Every hostile case: the unreadable files on every path, then each path's own."""
    cases = [Case(path, name, data, expect, why) for path in PATHS for name, data, expect, why in _unreadable()]
    for build in (_table_cases, _register_cases, _boundary_cases, _adkar_cases, _chain_cases, _pci_cases,
                  _crosswalk_cases):
        cases += build(db)
    return cases
