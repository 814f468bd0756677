"""storylens cleaning stage: find the articles (title, body, header, boilerplate) in one input record."""

from storylens.cleaning.articles import clean

__all__ = ["clean"]
