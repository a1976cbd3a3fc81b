"""Stage 4, the business model: per-actor calculation before and after, finance (NPV, IRR, BCR,
payback), outreach and returns, cost sharing, the poor-household check, the annexes. Imports ``core`` and
earlier stages."""
