"""Perantara analytics: pure, typed, documented logic behind the Streamlit pages."""
