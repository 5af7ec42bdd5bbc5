"""`python -m govrules`."""

from govrules.cli.main import main

main()
