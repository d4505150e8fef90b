"""``python -m profgraph``: the same as the ``profgraph`` command."""

from .cli import main

main()
