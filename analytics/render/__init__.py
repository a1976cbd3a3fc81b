"""Presentation: plotly charts, folium maps, graphviz diagrams, XLSX/DOCX/PDF/CSV documents. Takes
tables and stage results, never reads a ``store``; no stage imports it."""
