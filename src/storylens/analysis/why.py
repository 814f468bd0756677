"""Why an article is in its story, in plain words, from the reasons the clustering stage stored.

The stage stores, per article, the evidence behind its decision: similarity once language bias is removed,
the rare names and numbers (evidence keys such as ``w:BTN`` or ``n:14``) shared with the story, the days
between the article and the story, the score against the threshold, the runner-up. ``explain_membership``
says what that means for a reader ("shares the names Hamas and Red Cross and the number 20 with 5 of the
story's articles", "reported the same day") and never shows a key: a key is said as the article writes it
(``WhyContext.words``), or only counted. ``explain_numbers`` gives the numbers behind it (``--verbose``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

KEY = re.compile(r"^[wn]:\S+$")  # an evidence key, never shown to a reader
# Reason fields the sentences below say (or leave to explain_numbers); any other field is shown as "name: value".
SAID = frozenset(
    {
        "explanation",
        "best",
        "opened",
        "seed",
        "similarity",
        "shared_keys",
        "gap_days",
        "runner_up",
        "story_id",
        "item_id",
        "threshold",
        "score",
        "key_bonus",
        "time_penalty",
        "merged",
        "translation_of",
    }
)
STRUCTURED = ("best", "opened", "seed", "similarity", "shared_keys", "translation_of")


MOST_NAMES, MOST_NUMBERS = 5, 3  # said by name; the rest are counted


@dataclass(frozen=True)
class Written:
    """How an article writes an evidence key: ``text``, and whether it is a name (a mention covers it)."""

    text: str
    name: bool = False


@dataclass(frozen=True)
class WhyContext:
    """What the sentences need beyond the stored reasons; every part is optional.

    ``words``: key -> how the article writes it (``Written``: the name of the mention covering it, else the word
    or number); ``held``: key -> how many other articles of the story have it (the most shared are said first);
    ``sharing``: how many other articles of the story have at least one of the shared keys;
    ``original``: the public id of the original, for a translation; ``same_day``: the article and every other
    article of the story carry one date."""

    words: Mapping[str, Written] = field(default_factory=dict)
    held: Mapping[str, int] = field(default_factory=dict)
    sharing: int | None = None
    original: str | None = None
    same_day: bool = False


def explain_membership(
    reasons: Mapping[str, Any], similarity: float | None = None, context: WhyContext | None = None
) -> list[str]:
    """The reasons for an assignment as short plain sentences, without numbers or keys."""
    context = context or WhyContext()
    if not any(name in reasons for name in STRUCTURED):
        said = [reasons["explanation"]] if isinstance(reasons.get("explanation"), str) else []
        return said + _other_fields(reasons)
    if reasons.get("translation_of") is not None:
        original = context.original or f"article {reasons['translation_of']}"
        return [f"it is a translation of {original}, which is in this story", *_other_fields(reasons)]
    evidence = reasons["best"] if isinstance(reasons.get("best"), Mapping) else reasons
    if reasons.get("opened") or reasons.get("seed"):
        closest = evidence.get("story_id") if evidence is not reasons else None
        said = [
            f"it opened this story: the closest earlier story, {closest}, was not close enough in content and time"
            if closest is not None
            else "it opened this story: no earlier story was close in content and time"
        ]
        return said + _other_fields(reasons)
    said = []
    shared = _shared(evidence.get("shared_keys"), context)
    if shared:
        with_whom = (
            "with the story's other articles"
            if context.sharing is None
            else f"with {context.sharing} of the story's articles"
            if context.sharing != 1
            else "with one other article of the story"
        )
        said.append(f"shares {shared} {with_whom}")
    if isinstance(evidence.get("similarity", similarity), int | float):
        said.append("its title and opening are close in meaning to the story's other articles")
    said.extend(_when(evidence.get("gap_days", "missing"), context.same_day))
    merged = reasons.get("merged")
    if merged:
        said.append(f"it brought stories {_and([str(s) for s in merged])} together into this one")
    return said + _other_fields(reasons)


def explain_numbers(reasons: Mapping[str, Any], similarity: float | None = None) -> list[str]:
    """The numbers behind the plain sentences: score terms, threshold, runner-up (``why --verbose``)."""
    evidence = reasons["best"] if isinstance(reasons.get("best"), Mapping) else reasons
    numbers = []
    score = evidence.get("similarity", similarity)
    if isinstance(score, int | float):
        numbers.append(f"similarity {score:.2f} once language bias is removed")
    keys = evidence.get("shared_keys") or []
    if keys:
        bonus = evidence.get("key_bonus")
        plus = f": +{bonus:.2f}" if isinstance(bonus, int | float) else ""
        numbers.append(f"{len(keys)} shared rare name{'s' if len(keys) != 1 else ''} or numbers{plus}")
    gap = evidence.get("gap_days")
    if isinstance(gap, int | float):
        penalty = evidence.get("time_penalty")
        minus = f": -{penalty:.2f}" if isinstance(penalty, int | float) else ""
        numbers.append(f"{gap:g} day{'s' if gap != 1 else ''} outside the story's dates{minus}")
    total, threshold = evidence.get("score"), reasons.get("threshold")
    if isinstance(total, int | float):
        against = f" against a threshold of {threshold:.2f}" if isinstance(threshold, int | float) else ""
        numbers.append(f"score {total:.2f}{against}")
    runner = reasons.get("runner_up")
    if isinstance(runner, Mapping) and (runner.get("story_id") or runner.get("story")) is not None:
        fit = runner.get("score", runner.get("similarity"))
        other = f"the next closest was story {runner.get('story_id', runner.get('story'))}"
        numbers.append(other + (f" (score {fit:.2f})" if isinstance(fit, int | float) else ""))
    return numbers


def _shared(keys: Any, context: WhyContext) -> str:
    """ "the names A and B, the number 20 and 3 other rare words": names (mentions) and numbers as the article
    writes them, the most shared first; other words and keys without a written form only counted."""
    items = [str(key) for key in (keys if isinstance(keys, list) else [keys] if keys else [])]
    ranked = sorted(items, key=lambda key: -context.held.get(key, 0))
    names: list[str] = []
    numbers: list[str] = []
    for key in ranked:
        written = context.words.get(key) or (None if KEY.match(key) else Written(key, name=True))
        if written is not None and key.startswith("n:"):
            numbers.append(written.text)
        elif written is not None and written.name:
            names.append(written.text)
    names, numbers = list(dict.fromkeys(names)), list(dict.fromkeys(numbers))
    rest = len(items) - len(names[:MOST_NAMES]) - len(numbers[:MOST_NUMBERS])
    parts = []
    if names:
        parts.append(f"the name{'s' if len(names) > 1 else ''} {_and(names[:MOST_NAMES])}")
    if numbers:
        parts.append(f"the number{'s' if len(numbers) > 1 else ''} {_and(numbers[:MOST_NUMBERS])}")
    if rest > 0:
        plural = "s" if rest > 1 else ""
        parts.append(f"{rest} other rare word{plural} or number{plural}" if parts else f"{rest} rare word{plural}")
    return _and(parts)


def _when(gap: Any, same_day: bool) -> list[str]:
    if gap == "missing":
        return []
    if gap is None:
        return ["its date is unknown, so it was not compared by time"]
    if not isinstance(gap, int | float):
        return []
    if gap == 0:
        return ["reported the same day" if same_day else "reported within the story's dates"]
    return [f"reported {gap:g} day{'s' if gap != 1 else ''} outside the story's dates"]


def _and(items: Sequence[str]) -> str:
    if not items:
        return ""  # nothing shared (an empty list of keys): the caller says nothing
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _other_fields(reasons: Mapping[str, Any]) -> list[str]:
    return [
        f"{key.replace('_', ' ')}: {_label(value)}"
        for key, value in reasons.items()
        if key not in SAID and value not in (None, "", [], {})
    ]


def _label(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_label(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_label(v) for v in value if not (isinstance(v, str) and KEY.match(v)))
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def written_keys(
    text: str, lang: str | None, keys: Sequence[str], mentions: Sequence[tuple[int, int, str]] = ()
) -> dict[str, Written]:
    """How ``text`` writes each of ``keys``: the name of a mention (``(start, end, name)``) covering its first
    word, else the word or number itself. Keys the text does not give are left out."""
    from storylens.clustering.keys import key_spans  # here: wordfreq loads only when a why is asked

    wanted = {key for key in keys if KEY.match(key)}
    if not wanted or not text:
        return {}
    spans = key_spans(text, lang or "und")
    found = {}
    for key in wanted & spans.keys():
        covering = None
        for start, end in spans[key]:
            covering = next((name for m_start, m_end, name in mentions if m_start <= start and end <= m_end), None)
            if covering:
                break
        start, end = spans[key][0]
        found[key] = Written(covering, name=True) if covering else Written(text[start:end])
    return found


def sharing(keys: Sequence[str], article_id: int, member_keys: Mapping[int, frozenset[str]]) -> int:
    """How many of the story's other articles have at least one of ``keys``."""
    wanted = set(keys)
    return sum(1 for other, held in member_keys.items() if other != article_id and wanted & held)


def holders(keys: Sequence[str], article_id: int, member_keys: Mapping[int, frozenset[str]]) -> dict[str, int]:
    """Per key: how many of the story's other articles have it."""
    others = [held for other, held in member_keys.items() if other != article_id]
    return {key: sum(1 for held in others if key in held) for key in keys}


def shared_keys(reasons: Mapping[str, Any]) -> list[str]:
    evidence = reasons["best"] if isinstance(reasons.get("best"), Mapping) else reasons
    keys = evidence.get("shared_keys") or []
    return [str(key) for key in (keys if isinstance(keys, list) else [keys])]
