"""What an article stage is: the contract the pipeline checks and runs, shared by the pipeline and the stages.

A stage names the data products it reads (``requires``) and writes (``provides``); the pipeline checks,
when it is built, that every product a stage requires comes from the store step or an earlier stage, and
that no product has two providers. A stage writes only the products it provides.

Products (the store step provides the first three):

- ``article.text``, ``article.language``, ``article.date``: a stored article, its language and date;
- ``article.vector``, ``article.keys``: its vector (per encoder) and its rare names and numbers;
- ``article.story``: the story it belongs to, with the reasons; ``story.summary``: each story's centroid,
  core keys, title and date span;
- ``article.mentions``, ``article.quotes``, ``article.figures``: what the article says; ``entities``: the
  canonical entities the mentions are linked to; ``story.groups``: each story's quote and figure groups;
- ``storylines``: threads of stories, with the reasons for each link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from storylens.store.db import Store

StageProgress = Callable[[str, int, int], None]  # (what, done, total)

STORED = ("article.text", "article.language", "article.date")  # what storing a document provides


class ArticleStage(Protocol):
    """A stage that works on stored articles after they are stored (clustering, extraction, storylines).

    ``process`` handles a batch of articles that lack this stage and marks them done in the same transaction
    as its writes (``store.stage_batch``); ``rebuild`` redoes the stage's work over the whole store.
    A stage that writes names its writer in a ``writer`` attribute (a ``store.writers.StageWriter`` subclass,
    e.g. ``ClusteringWriter``): ``store.stage_batch(name, ids, writer=self.writer)`` yields one, whose methods
    are the stage's only way to write, and the pipeline refuses a writer providing what the stage does not.
    """

    name: str

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def provides(self) -> tuple[str, ...]: ...

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None: ...

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> object: ...
