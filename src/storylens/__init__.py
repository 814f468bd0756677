"""storylens: follow news stories across languages, locally."""

__version__ = "0.1.0"
