"""Stage 1, poverty pockets: drill-down, pockets (LISA, Gi*, FDR), the APP targeting rule with
disclosure control, sources side by side, the Beranda overview. Imports ``core`` only."""
