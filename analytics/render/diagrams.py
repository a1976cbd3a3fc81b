"""Graphviz (DOT) text of the diagrams: the market-system map and the problem tree of a value chain,
the business model (A or B) with its product, money, investment and service flows, and the results
chain. Every label from a user or a file goes through :func:`analytics.core.fmt.dot_escape`."""

from __future__ import annotations

import pandas as pd

from analytics.business.calc import MODEL_ROLES
from analytics.core import fmt
from analytics.valuechain import analysis


def system_dot(actors: pd.DataFrame, system: pd.DataFrame, title: str) -> str:
    """Graphviz DOT of the market system: the core chain left to right, supporting functions above,
    rules (regulation, standards, norms) below, dashed lines to the actors they serve."""

    order = {fn: i for i, fn in enumerate(analysis.FUNCTIONS)}
    core = actors.assign(_o=actors["fungsi"].map(order)).sort_values(["_o", "actor"], kind="stable")
    lines = ["digraph sistem {", "  rankdir=TB; compound=true; newrank=true;",
             f'  labelloc=t; label="{fmt.dot_escape(title)}"; fontname="Helvetica";',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];']
    for layer, colour, label in (("pendukung", "#deebf7", "Fungsi pendukung"), ("aturan", "#f0f0f0", "Aturan")):
        rows = system[system["lapisan"] == layer]
        if rows.empty:
            continue
        lines.append(f'  subgraph cluster_{layer} {{ label="{label}"; style=dashed;')
        for i, r in enumerate(rows.itertuples()):
            lines.append(f'    "{layer}_{i}" [label="{fmt.dot_escape(r.kategori)}: {fmt.dot_escape(r.nama)}",'
                         f' fillcolor="{colour}"];')
        lines.append("  }")
    lines.append('  subgraph cluster_inti { label="Rantai inti"; style=solid; rank=same;')
    for r in core.itertuples():
        lines.append(f'    "{fmt.dot_escape(r.actor)}" '
                     f'[label="{fmt.dot_escape(r.nama)}\\n({fmt.dot_escape(r.fungsi)})", fillcolor="#fdd0a2"];')
    lines.append("  }")
    ids = list(core["actor"])
    for a, b in zip(ids, ids[1:], strict=False):
        lines.append(f'  "{fmt.dot_escape(a)}" -> "{fmt.dot_escape(b)}" [style=invis];')
    for layer in ("pendukung", "aturan"):
        rows = system[system["lapisan"] == layer]
        for i, r in enumerate(rows.itertuples()):
            fallback = ids[len(ids) // 2] if ids else None
            target = r.terkait if isinstance(r.terkait, str) and r.terkait in ids else fallback
            if target is None:
                continue
            if layer == "pendukung":
                lines.append(f'  "{layer}_{i}" -> "{fmt.dot_escape(target)}" [style=dashed, arrowhead=none];')
            else:
                lines.append(f'  "{fmt.dot_escape(target)}" -> "{layer}_{i}" [style=dashed, arrowhead=none];')
    lines.append("}")
    return "\n".join(lines)


def problem_tree_dot(problems: pd.DataFrame) -> str:
    """Graphviz DOT of a problem tree: ``id``, ``parent`` (None for the core problem), ``teks``,
    ``akar`` (True for a chosen root cause, drawn highlighted). Each child answers "mengapa?"."""

    lines = ["digraph pohon {", "  rankdir=TB;", '  node [shape=box, style="rounded,filled", fillcolor="#fff5eb", '
             'fontname="Helvetica", fontsize=11];']
    for r in problems.itertuples():
        colour = ', fillcolor="#fd8d3c"' if getattr(r, "akar", False) else (
            ', fillcolor="#7f2704", fontcolor="white"' if pd.isna(r.parent) else "")
        lines.append(f'  "{fmt.dot_escape(r.id)}" [label="{fmt.dot_escape(r.teks)}"{colour}];')
    for r in problems.itertuples():
        if not pd.isna(r.parent):
            lines.append(f'  "{fmt.dot_escape(r.parent)}" -> "{fmt.dot_escape(r.id)}" [label="mengapa?", fontsize=9];')
    lines.append("}")
    return "\n".join(lines)


def model_dot(model: str, names: dict[str, str], lines_by_role: dict[str, pd.DataFrame], labels: dict[str, str]) -> str:
    """Graphviz DOT of model A or B: product flows (green) POKMAS → local → private partner with the
    "sesudah" volume and average price, money flows back (blue) with their value, investment and
    embedded services (orange, dotted) from the private and local partners down; in model B, loans and
    repayments with the financial institution (through the local partner's referral) and inputs with
    extension services from the input supplier. ``labels`` gives the role names and edge words
    (keys: produk, uang, investasi, pinjaman, cicilan, rujukan, input)."""


    def sales(role: str, buyer: str) -> tuple[float, float, str]:
        """The seller's "sesudah" sales to the buyer (lines naming the buyer), else all its sales."""
        lines = lines_by_role.get(role)
        if lines is None or lines.empty:
            return 0.0, 0.0, ""
        s = lines[(lines["skenario"] == "sesudah") & (lines["jenis"] == "pendapatan")]
        name = str(names.get(buyer, "")).strip().lower()
        to_buyer = s[s["uraian"].astype(str).str.lower().str.contains(name, regex=False)] if name else s.iloc[0:0]
        s = to_buyer if len(to_buyer) else s
        vol = float(s["volume"].sum())
        unit = str(s["satuan"].mode().iloc[0]) if len(s) else ""
        return vol, float((s["volume"] * s["harga"]).sum()), unit

    roles = MODEL_ROLES[model]
    g = ['digraph model {', 'rankdir=TB; nodesep=1.2; ranksep=1.0;',
         'node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=16, margin="0.25,0.12"];',
         'edge [fontname="Helvetica", fontsize=13];']
    fill = {"pokmas": "#fde9c8", "mitra_lokal": "#dcefdc", "mitra_swasta": "#d6e6f5", "lembaga_keuangan": "#eee0f5",
            "penyedia_input": "#f2f2f2"}
    for r in roles:
        g.append(f'{r} [label="{fmt.dot_escape(labels.get(r, r))}\\n{fmt.dot_escape(names.get(r, ""))}",'
                 f' fillcolor="{fill[r]}"];')
    prod_c, money_c, inv_c = "#2e7d32", "#1565c0", "#e65100"
    for seller, buyer in (("pokmas", "mitra_lokal"), ("mitra_lokal", "mitra_swasta")):
        vol, val, unit = sales(seller, buyer)
        price = f" @ {fmt.rupiah_short(val / vol)}" if vol else ""
        vol_txt = f"{vol:,.0f}".replace(",", ".")
        g.append(f'{seller} -> {buyer} [color="{prod_c}", penwidth=2, '
                 f'label="{fmt.dot_escape(labels["produk"])} {vol_txt} {fmt.dot_escape(unit)}{price}"];')
        g.append(f'{buyer} -> {seller} [color="{money_c}", style=dashed,'
                 f' label="{fmt.dot_escape(labels["uang"])} {fmt.rupiah_short(val)}"];')
    g.append(f'mitra_swasta -> mitra_lokal [color="{inv_c}", style=dotted,'
             f' label="{fmt.dot_escape(labels["investasi"])}"];')
    g.append(f'mitra_lokal -> pokmas [color="{inv_c}", style=dotted, label="{fmt.dot_escape(labels["investasi"])}"];')
    if model == "B":
        g.append(f'lembaga_keuangan -> pokmas [color="{money_c}", style=dashed,'
                 f' label="{fmt.dot_escape(labels["pinjaman"])}"];')
        g.append(f'pokmas -> lembaga_keuangan [color="{money_c}", style=dashed,'
                 f' label="{fmt.dot_escape(labels["cicilan"])}"];')
        g.append(f'mitra_lokal -> lembaga_keuangan [color="{inv_c}", style=dotted,'
                 f' label="{fmt.dot_escape(labels["rujukan"])}"];')
        g.append(f'penyedia_input -> pokmas [color="{prod_c}", label="{fmt.dot_escape(labels["input"])}"];')
        g.append('{rank=same; pokmas; penyedia_input;}')
        g.append('{rank=same; mitra_lokal; lembaga_keuangan;}')
    g.append("}")
    return "\n".join(g)


def chain_dot(boxes: pd.DataFrame, indicators: pd.DataFrame, level_labels: dict, by: str = "level") -> str:
    """Graphviz DOT of the results chain, Intervensi at the bottom, each box listing its indicators; grouped by
    ``by``: the strategy ``level`` (four) or the Juknis's level of change, ``perubahan`` (seven; ``level_labels``
    then keyed by its keys, lowest first). Boxes keep their strategy level's colour."""
    esc = fmt.dot_escape
    g = ['digraph rantai_hasil {', 'rankdir=BT; nodesep=0.4; ranksep=0.5;',
         'node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=12, width=3.2];',
         'edge [color="#555555"];']
    colours = {1: "#fde9c8", 2: "#dcefdc", 3: "#d6e6f5", 4: "#eee0f5"}
    for i, (lv, label) in enumerate(level_labels.items()):
        members = boxes[boxes[by] == lv]
        if by != "level" and members.empty:
            continue  # a level of change no box is on
        g.append(f'subgraph cluster_{i} {{ label="{esc(label)}"; labelloc="t"; labeljust="l"; fontname="Helvetica"; '
                 f'fontsize=13; style="rounded"; color="#bbbbbb";')
        for r in members.itertuples():
            inds = indicators[indicators["box"] == r.box]["nama"].tolist()
            extra = "".join(f"\\l• {esc(n)}" for n in inds)
            fill = colours.get(r.level, "#eeeeee")
            g.append(f'"{esc(r.box)}" [label="{esc(r.teks)}{extra}\\l", fillcolor="{fill}"];')
        g.append("}")
    for r in boxes.itertuples():
        if isinstance(r.menuju, str) and r.menuju:
            g.append(f'"{esc(r.box)}" -> "{esc(r.menuju)}";')
    g.append("}")
    return "\n".join(g)
