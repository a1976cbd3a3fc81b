"""Household registers (DTKS/DTSEN/P3KE-like) from CSV or XLSX, one row per household.

The NIK is replaced on import by a keyed pseudonym (HMAC-SHA256 with a secret key kept outside the
database, ``PERANTARA_PSEUDONYM_KEY_PATH``) and never stored or echoed back; the same NIK always gives
the same pseudonym, so a later import can be linked without holding identities. Households are stored
with the pseudonym; the aggregates by desa × desil × sector × sex of head × disability are rebuilt in
the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.core import auth, settings
from analytics.core.db import Database
from analytics.core.problems import ImportRejected, Problem, before_commit
from analytics.io.codes import AreaResolver, mostly_bps, normalise_name
from analytics.poverty.targeting import is_productive, unknown_sectors

# field -> accepted (normalised) header names
COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "nonik", "nomornik", "nomorindukkependudukan", "nikkk", "nikkepalakeluarga"),
    "kode": ("kodedesa", "kodewilayah", "kode", "kddesa", "kodekemendagri", "kodedesakelurahan"),
    "desil": ("desil", "desilkesejahteraan", "desilnasional"),
    "sektor": ("sektor", "sektorusaha", "lapanganusaha", "sektorpekerjaan", "lapanganpekerjaan"),
    "sex_head": ("jeniskelaminkk", "jkkk", "sexhead", "jeniskelaminkepalarumahtangga", "jeniskelamin", "jk"),
    "disability": ("disabilitas", "penyandangdisabilitas", "difabel", "disabilitaskk"),
    "members": ("jumlahart", "jumlahanggota", "jumlahanggotarumahtangga", "art", "anggota"),
}
REQUIRED = ("nik", "kode", "desil", "sektor", "sex_head")
_SEX = {"l": "L", "lakilaki": "L", "laki": "L", "pria": "L", "1": "L", "m": "L",
        "p": "P", "perempuan": "P", "wanita": "P", "2": "P", "f": "P"}
_YES = {"ya", "y", "1", "true", "benar", "iya", "yes"}
_NO = {"tidak", "t", "0", "false", "salah", "no", "n", "", "bukan"}
"""Sectors the APP guideline names for direct beneficiaries (pertanian, peternakan, perikanan,
perhutanan, perindustrian dan perdagangan, perkebunan, koperasi, usaha mikro dan kecil)."""


def pseudonym_key() -> bytes:
    """The secret HMAC key (32 random bytes, owner-only, outside the data folder by default), created on
    first use."""
    return settings.secret_key(settings.pseudonym_key_path())


def pseudonymise(niks: pd.Series, key: bytes) -> pd.Series:
    """Keyed HMAC-SHA256 pseudonyms (the first 32 hex characters) of NIK strings.

    HMAC is computed as RFC 2104 defines it, ``sha256((K ^ opad) || sha256((K ^ ipad) || nik))``, in a
    private in-memory DuckDB connection (vectorised: a million NIKs in under a second instead of three);
    the NIKs never reach the stored database. Equal to Python's ``hmac`` (a unit test checks it).

    >>> pseudonymise(pd.Series(["3507010101900001"]), b"k").iloc[0]  # Python's hmac gives the same
    '18e2f562c7be56f23f248a093dccfc3a'
    """
    block = 64  # SHA-256's block size
    padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    ipad, opad = bytes(b ^ 0x36 for b in padded), bytes(b ^ 0x5C for b in padded)
    con = duckdb.connect(":memory:")
    try:
        con.register("nik_column", pa.table({"nik": _arrow(niks)}))
        out = con.sql("""SELECT left(sha256($opad || unhex(sha256($ipad || encode(nik)))), 32) AS p
                         FROM nik_column""", params={"ipad": ipad, "opad": opad}).to_arrow_table()
    finally:
        con.close()
    return _text(out.column("p").combine_chunks(), niks.index)


@dataclass
class RegisterPreview:
    """Households ready to store (pseudonymised), with what was found wrong."""

    file: str
    households: pd.DataFrame       # pseudonym, kode, desil, sektor, sex_head, disability, members
    columns: dict[str, str]        # field -> header in the file
    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing blocks the commit."""
        return not any(p.severity == "error" for p in self.problems) and not self.households.empty


def _arrow(values: pd.Series) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


def _text(values: pa.Array, index: pd.Index) -> pd.Series:
    """An Arrow text array as a pandas text series on ``index`` (by position, not by label)."""
    out = values.to_pandas()
    out.index = index
    return out


_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def numbers(values: pd.Series) -> pd.Series:
    """Cells written as plain numbers (``3``, ``3.0``, ``+3``, ``3e0``), as floats; NaN for anything else
    (vectorised in Arrow: ``pd.to_numeric`` takes half a second per million cells)."""
    arr = _arrow(values)
    ok = pc.fill_null(pc.match_substring_regex(arr, _NUMBER), False)
    out = pc.cast(pc.if_else(ok, arr, pa.scalar(None, pa.string())), pa.float64())
    return pd.Series(out.to_numpy(zero_copy_only=False), index=values.index)


def each_distinct(values: pd.Series, fn) -> pd.Series:  # noqa: ANN001 (a function of one text)
    """``values.map(fn)`` computed once per distinct value (a register has a million rows and a handful
    of distinct sexes or sectors)."""
    distinct = pd.unique(values.to_numpy())
    return values.map(dict(zip(distinct, (fn(v) for v in distinct), strict=True)))


def desa_codes(raw: pd.Series, resolver: AreaResolver) -> pd.Series:
    """The dotted Kemendagri desa code of each cell (dotted or undotted, a spreadsheet's ``.0`` dropped),
    or missing where the cell holds no stored desa's code."""
    digits = pc.replace_substring(pc.replace_substring_regex(pc.utf8_trim_whitespace(_arrow(raw)), r"\.0$", ""),
                                  ".", "")
    known = pc.is_in(digits, value_set=pa.array([k.replace(".", "") for k in resolver.codes if len(k) == 13]))
    parts = [pc.utf8_slice_codeunits(digits, a, b) for a, b in ((0, 2), (2, 4), (4, 6), (6, 10))]
    dotted = _text(pc.if_else(known, pc.binary_join_element_wise(*parts, "."), pa.scalar(None, pa.string())),
                   raw.index)
    if not resolver.crosswalk:
        return dotted
    paired = _text(digits, raw.index).map(resolver.crosswalk)  # BPS desa codes paired by an earlier import
    if bps_coded(digits, known):
        return paired
    return dotted.fillna(paired)


def bps_coded(digits: pa.Array, known: pa.Array) -> bool:
    """Whether a register's ten-digit desa codes are BPS codes (:func:`mostly_bps`, counted in Arrow)."""
    return mostly_bps(pc.sum(pc.equal(pc.utf8_length(digits), 10)).as_py() or 0, pc.sum(known).as_py() or 0)


def find_columns(file_name: str, header: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """Map the file's headers to register fields; missing required fields are problems."""
    norm = {normalise_name(h): h for h in header if h}
    found: dict[str, str] = {}
    for fld, names in COLUMNS.items():
        hit = next((norm[n] for n in names if n in norm), None)
        if hit:
            found[fld] = hit
    problems = []
    labels = {"nik": "NIK", "kode": "kode desa", "desil": "desil", "sektor": "sektor",
              "sex_head": "jenis kelamin kepala rumah tangga"}
    for fld in REQUIRED:
        if fld not in found:
            problems.append(Problem(file_name, 1, None,
                                    f"kolom {labels[fld]} tidak ditemukan (nama kolom yang diterima, mis. "
                                    f"'{COLUMNS[fld][0]}'); kolom yang ada: "
                                    + ", ".join(f"'{h}'" for h in header if h)))
    return found, problems


def preview(file_name: str, cells: pd.DataFrame, resolver: AreaResolver, max_problems: int = 200,
            sectors: dict[str, bool] | None = None) -> RegisterPreview:
    """Check every row of a register read by :func:`analytics.io.read.read_cells` (row 1 = header)."""
    header = [str(h) for h in cells.iloc[0].tolist()]
    found, problems = find_columns(file_name, header)
    if problems:
        raise ImportRejected(problems)
    body = cells.iloc[1:].reset_index(drop=True)
    body = body[(body != "").any(axis=1)]
    if body.empty:
        raise ImportRejected([Problem(file_name, None, None, "berkas hanya berisi judul kolom, tanpa baris data")])
    col = {f: header.index(h) for f, h in found.items()}
    file_rows = body.index.to_numpy() + 2
    errs: list[Problem] = []

    def bad(mask: np.ndarray, fld: str, why: str) -> None:
        for r in file_rows[mask][: max(0, max_problems - len(errs))]:
            errs.append(Problem(file_name, int(r), found[fld], why))

    nik = _text(pc.replace_substring_regex(_arrow(body[col["nik"]]), r"[\s\x{00A0}\x{2007}\x{202F}'’]", ""),
                body.index)
    scientific = nik.str.fullmatch(r"[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+").fillna(False).to_numpy()
    nik = nik.str.replace(".", "", regex=False)
    digits = nik.str.fullmatch(r"[0-9]+").fillna(False).to_numpy()  # ASCII only: not ３５… nor ٣٥…
    length = nik.str.len().to_numpy()
    for r, sci in zip(file_rows[~digits], scientific[~digits], strict=False):
        if len(errs) < max_problems:  # the NIK itself is never repeated in a message
            errs.append(Problem(file_name, int(r), found["nik"], (
                "NIK tersimpan sebagai angka (di Excel, atau ditulis seperti 3,5071E+15), bukan teks: Excel hanya "
                "menyimpan 15 angka pertama, jadi angka terakhirnya bisa sudah hilang. Format kolom NIK sebagai teks "
                "di Excel, isi ulang, lalu unggah lagi") if sci else
                "NIK hanya boleh berisi angka 0-9 (tanpa huruf, tanpa angka lebar penuh atau angka Arab)"))
    same = digits & (length == 16) & (nik == nik.str[0].str.repeat(16)).fillna(False).to_numpy(dtype=bool)
    bad(same, "nik", "NIK tidak sah (16 angka yang sama)")
    wrong = digits & (length != 16)
    for r, n in zip(file_rows[wrong], length[wrong], strict=False):
        if len(errs) < max_problems:
            errs.append(Problem(file_name, int(r), found["nik"], f"NIK harus 16 angka, di sini {n} angka"))
    dup = nik.duplicated(keep=False).to_numpy() & digits & (length == 16)
    if dup.any():
        first_row: dict[str, int] = {}
        for r, n in zip(file_rows[dup], nik.to_numpy()[dup], strict=False):
            if n in first_row and len(errs) < max_problems:
                errs.append(Problem(file_name, int(r), found["nik"],
                                    f"rumah tangga ganda: NIK yang sama sudah ada di baris {first_row[n]}"))
            first_row.setdefault(n, int(r))
    raw_code = body[col["kode"]]
    kode = desa_codes(raw_code, resolver)
    known = kode.isin(resolver.codes).to_numpy()
    for r, v in zip(file_rows[~known], raw_code.to_numpy()[~known], strict=False):
        if len(errs) < max_problems:
            many = sum(ch.isdigit() for ch in str(v)) >= 14  # as long as a NIK: never shown
            shown = ("yang panjangnya seperti NIK (periksa urutan kolom; isinya tidak ditampilkan)"
                     if many or len(str(v)) > 24 else f"'{v}'")
            errs.append(Problem(file_name, int(r), found["kode"],
                                f"kode desa {shown} tidak dikenal (harus kode Kemendagri desa, 10 angka, atau kode "
                                "desa BPS yang sudah ada di tabel silang BPS–Kemendagri)"))
    desil = numbers(body[col["desil"]])
    bad(~(desil.between(1, 10) & (desil == desil.round())).to_numpy(), "desil", "desil harus bilangan bulat 1-10")
    sektor = body[col["sektor"]].str.strip()
    bad((sektor == "").to_numpy(), "sektor", "sektor kosong")
    sex = each_distinct(body[col["sex_head"]], lambda v: _SEX.get(normalise_name(v)))
    bad(sex.isna().to_numpy(), "sex_head", "jenis kelamin harus L/P (laki-laki/perempuan)")
    if "disability" in col:
        dis_txt = body[col["disability"]].str.strip().str.lower()
        bad(~dis_txt.isin(_YES | _NO).to_numpy(), "disability", "disabilitas harus ya/tidak")
        disability = dis_txt.isin(_YES)
    else:
        disability = pd.Series(False, index=body.index)
        problems.append(Problem(file_name, None, None, "kolom disabilitas tidak ada; semua dianggap tidak", "warning"))
    if "members" in col:
        members = numbers(body[col["members"]])
        bad(~(members.between(1, 50) & (members == members.round())).to_numpy(), "members",
            "jumlah anggota rumah tangga harus bilangan bulat 1-50")
    else:
        members = pd.Series(1, index=body.index)
        problems.append(Problem(file_name, None, None,
                                "kolom jumlah anggota rumah tangga tidak ada; jumlah jiwa dihitung 1 per rumah tangga",
                                "warning"))
    problems = errs + problems
    if errs:
        return RegisterPreview(file_name, pd.DataFrame(), found, problems, len(body))
    households = pd.DataFrame({
        "pseudonym": pseudonymise(nik, pseudonym_key()), "kode": kode, "desil": desil.astype(int),
        "sektor": _text(pc.utf8_lower(_arrow(sektor)), sektor.index), "sex_head": sex,
        "disability": disability, "members": members.astype(int)}).reset_index(drop=True)
    unknown = unknown_sectors(households["sektor"].drop_duplicates(), sectors)
    if unknown:  # counted as not productive until the planner says what they are
        shown = ", ".join(f"'{u}'" for u in unknown[:10]) + (f" dan {len(unknown) - 10} lainnya" if len(unknown) > 10
                                                             else "")
        problems.append(Problem(file_name, None, found["sektor"], (
            f"{len(unknown)} label sektor belum dikenal ({shown}): dihitung tidak produktif sampai ditetapkan "
            "di tabel sektor di bawah"), "warning"))
    return RegisterPreview(file_name, households, found, problems, len(body))


DOTTED_SQL = ("substr(k, 1, 2) || '.' || substr(k, 3, 2) || '.' || substr(k, 5, 2) || '.' || substr(k, 7, 4)")
"""SQL turning ``k`` (the undotted desa code as text) into the dotted Kemendagri code."""

AGGREGATE_SQL = f"""
    SELECT {DOTTED_SQL} AS kode, desil, sektor, sex_head, disability, households, persons
    FROM (SELECT desa_key::VARCHAR AS k, * FROM (
            SELECT desa_key, desil, sektor, sex_head, disability, count(*) AS households, sum(members) AS persons
            FROM register_households WHERE source = $source AND period = $period GROUP BY ALL)) a"""
"""Desa × desil × sector × sex of head × disability counts of one stored register (grouped on the
integer desa key, dotted afterwards on the small result)."""

DESA_DESIL_SQL = f"""
    SELECT {DOTTED_SQL} AS kode, desil, households, persons
    FROM (SELECT desa_key::VARCHAR AS k, * FROM (
            SELECT desa_key, desil, count(*) AS households, sum(members) AS persons
            FROM register_households WHERE source = $source AND period = $period GROUP BY ALL)) a"""
"""Desa × desil counts of one stored register."""


def desa_desil(db: Database, source: str, period: int) -> pd.DataFrame:
    """Households and persons per desa and desil of a stored register.

    The register is kept per household (pseudonymised) so that aggregates can be rebuilt and checked.
    """
    with db.cursor() as cur:
        return cur.execute(DESA_DESIL_SQL, {"source": source, "period": period}).df()


def commit(db: Database, role: str | None, actor: str, pv: RegisterPreview, source: str, period: int) -> int:
    """Store the pseudonymised households and rebuild their aggregates, replacing an earlier import of
    the same source and year (one transaction; all or nothing)."""
    source = before_commit(role, pv.file, pv.problems, pv.households.empty, "rumah tangga", source)
    if "pseudonym" in auth.differing_keys(db):
        raise ValueError(f"{pv.file}: kunci pseudonim server ini berbeda dari kunci yang dipakai impor sebelumnya, "
                         "sehingga rumah tangga yang sama tidak akan tersambung antarimpor. Pakai berkas kunci "
                         "pseudonim yang sama di setiap server (PERANTARA_PSEUDONYM_KEY_PATH), lalu impor lagi. "
                         "Tidak ada yang disimpan.")
    hh = pv.households

    key_print = auth.key_fingerprint(pseudonym_key())

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        iid = int(cur.execute("SELECT nextval('import_seq')").fetchone()[0])
        cur.execute("INSERT INTO key_fingerprints VALUES ('pseudonym', ?, ?) ON CONFLICT (name) DO NOTHING",
                    [key_print, datetime.now()])  # the key these pseudonyms were made with, if none yet
        cur.execute("INSERT INTO imports VALUES (?, ?, ?, 'register', ?, ?, ?, FALSE, ?)",
                    [iid, datetime.now(), actor, source, pv.file, len(hh),
                     "NIK diganti pseudonim HMAC; NIK tidak disimpan"])
        cur.execute("DELETE FROM register_households WHERE source = ? AND period = ?", [source, period])
        cur.execute("DELETE FROM register_agg WHERE source = ? AND period = ? AND NOT is_synthetic", [source, period])
        cur.register("new_hh", hh)
        cur.execute("""INSERT INTO register_households SELECT pseudonym, replace(kode, '.', '')::UBIGINT, ?, ?,
                       desil, sektor, sex_head, disability, members, ? FROM new_hh""", [period, source, iid])
        cur.unregister("new_hh")
        cur.execute(f"""INSERT INTO register_agg SELECT kode, $period, $source, desil, sektor, sex_head, disability,
                        households, persons, FALSE, $iid FROM ({AGGREGATE_SQL})""",
                    {"period": period, "source": source, "iid": iid})
        return iid

    return db.write(actor, "import.register", f"{pv.file}: {len(hh)} rumah tangga, sumber {source} {period}", fn)


def summary(households: pd.DataFrame, sectors: dict[str, bool] | None = None) -> pd.DataFrame:
    """Households, productive households (by the ``sectors`` mapping), women-headed and with disability, per
    desil (a preview table)."""
    if households.empty:
        return pd.DataFrame(columns=["desil", "rumah_tangga", "produktif", "kepala_perempuan", "disabilitas"])
    hh = households.assign(produktif=households["sektor"].map(lambda s: is_productive(s, sectors)),
                           perempuan=households["sex_head"] == "P")
    return (hh.groupby("desil")
              .agg(rumah_tangga=("pseudonym", "size"), produktif=("produktif", "sum"),
                   kepala_perempuan=("perempuan", "sum"), disabilitas=("disability", "sum"))
              .reset_index())


def sector_table(households: pd.DataFrame, sectors: dict[str, bool] | None = None) -> pd.DataFrame:
    """The file's sector labels as written, with their households and whether they count as productive
    (``produktif``; ``dikenal`` False for a label the mapping does not know, counted as not productive
    until the planner sets it), unknown labels first."""
    from analytics.poverty.targeting import DEFAULT_SECTORS, normal_sector

    known = DEFAULT_SECTORS if sectors is None else sectors
    if households.empty:
        return pd.DataFrame(columns=["label_sektor", "rumah_tangga", "dikenal", "produktif"])
    n = households.groupby("sektor").size().rename("rumah_tangga").reset_index()
    n["dikenal"] = n["sektor"].map(lambda s: normal_sector(s) in known)
    n["produktif"] = n["sektor"].map(lambda s: is_productive(s, known))
    n = n.rename(columns={"sektor": "label_sektor"})
    return n.sort_values(["dikenal", "rumah_tangga"], ascending=[True, False]).reset_index(drop=True)
