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
