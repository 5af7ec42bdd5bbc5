"""`python -m govrules`."""

from govrules.cli.start import main

main()
