"""Stage 3, the value chain: actors and flows, checks, margins and value added, the Sankey data, the
market-system map and problem tree tables. Imports ``core`` and earlier stages."""
