"""Stage 5, monitoring and results: the results chain, PCI scoring and predicates, ADKAR stages and
network, the leadership summary, and the method's tables (``method/``). Imports ``core`` and earlier
stages."""
