"""Perantara's logic, one package per stage of the method and the parts around them.

``core`` → ``poverty`` → ``commodity`` → ``valuechain`` → ``business`` → ``monitoring``: a stage imports
``core`` and earlier stages only; its reads and writes live in its ``store`` module. ``render`` draws
(charts, maps, diagrams, documents) and never reads a store; ``io`` imports real files; ``demo`` builds
the synthetic database; ``testing`` holds the browser harness. ``tests/unit/test_architecture.py``
checks the rule. ``python -m analytics`` is the command line.
"""
