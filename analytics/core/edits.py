"""Tables edited in the pages, made ready to check and store."""

from __future__ import annotations

import pandas as pd


def clean(frame: pd.DataFrame, columns: list[str], key: str) -> pd.DataFrame:
    """The edited table with exactly ``columns``, without rows whose ``key`` is empty (blank rows a
    data editor leaves behind), and with text trimmed.

    >>> clean(pd.DataFrame({"a": [" x ", None, ""], "b": [1, 2, 3]}), ["a", "b"], "a").to_dict("list")
    {'a': ['x'], 'b': [1]}
    """
    df = frame.reindex(columns=columns).copy()
    df = df[df[key].notna() & (df[key].astype(str).str.strip() != "")]
    for col in df.columns:
        if pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return df.reset_index(drop=True)


def changed(stored: pd.DataFrame, edited: pd.DataFrame) -> bool:
    """Whether an editor's table differs from what is stored: a row added, removed or changed (missing
    values equal each other; 1 and 1.0 are the same number; text compared as written).

    >>> a = pd.DataFrame({"nama": ["x", None], "n": [1, None]})
    >>> changed(a, a.copy()), changed(a, a.assign(n=[1.0, None])), changed(a, a.assign(nama=["y", None]))
    (False, False, True)
    >>> changed(a, a.iloc[:1]), changed(a.iloc[0:0], a.iloc[0:0])
    (True, False)
    """
    if list(stored.columns) != list(edited.columns) or len(stored) != len(edited):
        return True

    def norm(v: object) -> object:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        return v

    left = [[norm(v) for v in row] for row in stored.astype(object).itertuples(index=False)]
    right = [[norm(v) for v in row] for row in edited.astype(object).itertuples(index=False)]
    return left != right
