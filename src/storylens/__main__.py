"""`python -m storylens` runs the command line."""

from storylens.views.cli import main

main()
