"""Why an article is in its story, in plain words, from the reasons the clustering stage stored."""

from __future__ import annotations

from typing import Any


def explain_membership(reasons: dict[str, Any], similarity: float | None = None) -> list[str]:
    """The clustering stage's reasons for an assignment, as short plain sentences.

    Reads an ``explanation`` sentence if the stage stored one, the evidence terms (``similarity``,
    ``shared_keys``, ``gap_days``; at the top level or under ``best``), ``runner_up`` and ``opened``; any other
    key is shown as "key: value".
    """
    said: list[str] = [reasons["explanation"]] if isinstance(reasons.get("explanation"), str) else []
    evidence = reasons["best"] if isinstance(reasons.get("best"), dict) else reasons
    if reasons.get("opened") or reasons.get("seed"):
        said.append("it was the first article of this story")
    score = evidence.get("similarity", similarity)
    if isinstance(score, int | float) and not reasons.get("opened"):
        said.append(f"its title and lead read like the story's other articles (similarity {score:.2f})")
    shared = evidence.get("shared_keys")
    if shared:
        items = shared if isinstance(shared, list) else [shared]
        said.append("it names the same " + ", ".join(_key_label(item) for item in items))
    gap = evidence.get("gap_days")
    if isinstance(gap, int | float):
        said.append(
            f"it was published {gap:g} day{'s' if gap != 1 else ''} outside the story's dates"
            if gap
            else "it was published within the story's dates"
        )
    runner = reasons.get("runner_up")
    if isinstance(runner, dict) and (runner.get("story_id") or runner.get("story")) is not None:
        other = f"story {runner.get('story_id', runner.get('story'))}"
        fit = runner.get("score", runner.get("similarity"))
        said.append(f"the next closest was {other}" + (f" (score {fit:.2f})" if isinstance(fit, int | float) else ""))
    shown = {
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
    }
    for key, value in reasons.items():
        if key not in shown and value not in (None, "", [], {}):
            said.append(f"{key.replace('_', ' ')}: {_key_label(value)}")
    return said


def _key_label(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_key_label(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_key_label(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
