"""Figures: quantities stated in he/ar/en text, read into a value, a normalised unit and the counted noun.

Reads Western and Arabic-Indic digits, number words, scale words (thousand, Arabic alf, Hebrew milyon...), ranges
("from 30 to 50 km", Arabic "bayna 25 alfan wa-30 alfan"), percentages, money and units. Years, dates, times of
day, phone-like numbers, labels ("Article 5") and list numbering are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.extraction.figure_words import FigureLexicon, lexicon, stem_in
from storylens.extraction.measures import CLAUSE_BREAKS, measure_lexicon, measure_of
from storylens.extraction.records import Figure
from storylens.lang import Token, digit_value, prefix_splits, surface_length, tokenize

__all__ = ["COUNT_UNITS", "NOT_FIGURE_PATTERNS", "SQUARABLE", "FigureLexicon", "extract_figures", "lexicon"]

COUNT_UNITS = frozenset({"people", "points"})
SQUARABLE = frozenset({"kilometres", "metres"})
MAX_UNIT_WORDS = 3
BACKWARD_UNIT_WINDOW = 6

NOT_FIGURE_PATTERNS = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"  # dates
    r"|\d{1,2}:\d{2}"  # times of day
    r"|(?<!\d)(?:\+|00)\d[\d -]{6,}\d"  # international phone numbers
    r"|(?<![\d,.])0\d{6,}"  # local phone numbers
    r"|\d{2,4}(?:[ -]\d{2,4}){2,}(?!\d)"  # grouped digit strings
    r"|^[ \t]*\d{1,3}[.)](?=\s)"  # list numbering
    r"|(?<=[A-Za-z])-?\d+"  # model names: F-16, G7
    r"|\d+(?:st|nd|rd|th)\b",  # English ordinals
    re.MULTILINE,
)


@dataclass
class _Quantity:
    first: int  # token index of the first token
    last: int  # token index of the last token consumed
    value: float
    scaled: bool = False
    from_words: bool = False
    unit: str | None = None
    unit_tokens: tuple[int, int] | None = None  # token span of the unit phrase
    clitic: str = ""  # a clitic prefix on the first number word, left out of the figure's span


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.lex = lexicon()
        self.blocked = [(m.start(), m.end()) for m in NOT_FIGURE_PATTERNS.finditer(text)]

    def norm(self, i: int) -> str:
        return self.tokens[i].norm if 0 <= i < len(self.tokens) else ""

    def is_blocked(self, token: Token) -> bool:
        return any(start <= token.start < end for start, end in self.blocked)

    def adjacent(self, i: int) -> bool:
        """True when token i starts right where token i-1 ends (no space between)."""
        return i > 0 and self.tokens[i - 1].end == self.tokens[i].start

    def read_number(self, i: int) -> _Quantity | None:
        token = self.tokens[i]
        quantity: _Quantity | None
        if token.is_number:
            if self.is_blocked(token):
                return None
            value = digit_value(token.text)
            if value is None:
                return None
            quantity = _Quantity(i, i, value)
        else:
            quantity = self.read_number_words(i) or self.read_number_unit_word(i)
            if quantity is None:
                return None
        return self.read_scale(quantity)

    def read_number_unit_word(self, i: int) -> _Quantity | None:
        """A number and its unit in one word: a number word joined to a unit by a hyphen ("a two-year
        vacancy", "three-day"), or a unit noun in the dual (Arabic amayn, Hebrew shnatayim: two years)."""
        norm = self.norm(i)
        head, hyphen, tail = norm.partition("-")
        if hyphen and head in self.lex.number_words and (tail,) in self.lex.units:
            value, unit, clitic = self.lex.number_words[head], self.lex.units[(tail,)], ""
        else:
            dual = stem_in(norm, self.lex.dual_units)
            if dual is None or (dual,) not in self.lex.units:
                return None
            value, unit, clitic = 2, self.lex.units[(dual,)], norm[: len(norm) - len(dual)]
        return _Quantity(i, i, value, from_words=True, unit=unit, unit_tokens=(i, i), clitic=clitic)

    def read_number_words(self, i: int) -> _Quantity | None:
        """Cardinal number words, possibly compound: "twenty-five", Arabic "khamsa wa-ishrin", Hebrew "esrim
        ve-hamisha"."""
        numbers = self.lex.number_words
        first = stem_in(self.norm(i), numbers)
        if first is None or self.norm(i) in self.lex.weekdays:
            return None
        value, last = numbers[first], i
        while True:
            j = last + 1
            if self.norm(j) in {"and", "-"} and self.norm(j + 1) in numbers:
                value, last = value + numbers[self.norm(j + 1)], j + 1
            elif (joined := self.join_word(j)) is not None:
                value, last = value + numbers[joined], j
            elif value >= 20 and value % 10 == 0 and numbers.get(self.norm(j), 10) < 10:
                value, last = value + numbers[self.norm(j)], j
            else:
                clitic = self.norm(i)[: -len(first)] if first != self.norm(i) else ""
                return _Quantity(i, last, value, from_words=True, clitic=clitic)

    def join_word(self, j: int) -> str | None:
        """A number word carrying a conjunction clitic (Arabic wa-ishrin, Hebrew ve-esrim: "and twenty"), as its bare
        form."""
        norm = self.norm(j)
        if norm[:1] in self.lex.conjunction_clitics and norm[1:] in self.lex.number_words:
            return norm[1:]
        return None

    def read_scale(self, quantity: _Quantity) -> _Quantity:
        j = quantity.last + 1
        scale = 0.0
        while self.norm(j) in self.lex.scales or self.norm(j) in self.lex.hundreds:
            table = self.lex.scales if self.norm(j) in self.lex.scales else self.lex.hundreds
            scale = table[self.norm(j)]
            quantity.value *= scale
            quantity.scaled = True
            quantity.last = j
            j += 1
        if scale:
            self.read_remainder(quantity, scale)
        return quantity

    def read_remainder(self, quantity: _Quantity, scale: float) -> None:
        """The rest of a number written as scaled parts joined by "and" (Arabic "16 milyunan wa-384 alfan
        wa-403": 16,384,403): a conjunction right after the scale word, then digits smaller than that scale."""
        j = quantity.last + 1
        joiners = self.lex.conjunction_clitics | measure_lexicon().conjunctions  # wa- alone, or "and" (language data)
        if self.norm(j) not in joiners or j + 1 >= len(self.tokens):
            return
        token = self.tokens[j + 1]
        if not token.is_number or self.is_blocked(token):
            return
        value = digit_value(token.text)
        if value is None:
            return
        rest = self.read_scale(_Quantity(j + 1, j + 1, value))
        if rest.value < scale:
            quantity.value += rest.value
            quantity.last = rest.last

    def read_unit(self, quantity: _Quantity) -> None:
        if quantity.unit is not None:  # read with its number (read_number_unit_word)
            return
        j = quantity.last + 1
        if self.norm(j) == "-" and self.adjacent(j) and self.adjacent(j + 1):
            j += 1
        heads = [self.norm(j)] + [
            stem for prefix, stem in prefix_splits(self.norm(j)) if prefix in self.lex.definite_prefixes
        ]
        for size in range(MAX_UNIT_WORDS, 0, -1):
            rest = tuple(self.norm(k) for k in range(j + 1, j + size))
            unit = next(filter(None, (self.lex.units.get((head, *rest)) for head in heads)), None)
            if unit is not None:
                last = j + size - 1
                if unit in SQUARABLE and self.norm(last + 1) in self.lex.square_after:
                    unit, last = f"square {unit}", last + 1
                if unit in SQUARABLE and self.norm(quantity.last + 1) in self.lex.square_before:
                    unit = f"square {unit}"
                quantity.unit, quantity.unit_tokens, quantity.last = unit, (j, last), last
                return
        symbol = self.lex.currency_symbols.get(self.norm(quantity.first - 1))
        if symbol is not None:
            quantity.first -= 1
            quantity.unit = symbol

    def read_per_period(self, quantity: _Quantity) -> str | None:
        j = quantity.last + 1
        for size in (3, 2, 1):
            period = self.lex.per_period.get(tuple(self.norm(k) for k in range(j, j + size)))
            if period is not None:
                quantity.last = j + size - 1
                return period
        return None

    def read_range_end(self, low: _Quantity) -> _Quantity | None:
        """The second number of a range starting at ``low``, if a range connector follows it."""
        j = low.last + 1
        connector = self.norm(j)
        opened_by = self.norm(low.first - 1)
        if opened_by == "-":
            opened_by = self.norm(low.first - 2)
        if connector in self.lex.range_and and opened_by not in self.lex.range_between:
            return None
        if connector not in self.lex.range_to | self.lex.range_and:
            joined = self.join_word(j) if opened_by in self.lex.range_between else None
            if joined is None:
                return None
            return self.read_scale(_Quantity(j, j, self.lex.number_words[joined], from_words=True))
        j += 1
        if self.norm(j) == "-":
            j += 1
        if j < len(self.tokens) and (self.tokens[j].is_number or stem_in(self.norm(j), self.lex.number_words)):
            return self.read_number(j)
        return None

    def counted_after(self, quantity: _Quantity) -> int | None:
        j = quantity.last + 1
        if j >= len(self.tokens) or not self.tokens[j].is_word:
            return None
        norm = self.norm(j)
        if norm in self.lex.function_words or norm in self.lex.months or stem_in(norm, self.lex.months):
            return None
        if norm in self.lex.range_to or norm in self.lex.scales:
            return None
        return j

    def people_before(self, quantity: _Quantity) -> str | None:
        """A person noun earlier in the same clause (Arabic "al-khasa'ir al-bashariyya ... between 25 and 30
        thousand", human losses)."""
        stems: list[set[str]] = []
        for k in range(quantity.first - 1, max(quantity.first - BACKWARD_UNIT_WINDOW, 0) - 1, -1):
            token = self.tokens[k]
            if token.text in CLAUSE_BREAKS or token.is_number:
                break
            splits = prefix_splits(token.norm)
            stems.insert(0, {token.norm, *(stem for _, stem in splits)})
        for size in (2, 1):
            for k in range(len(stems) - size + 1):
                for first in stems[k]:
                    for rest in stems[k + 1] if size == 2 else {""}:
                        phrase = (first, rest) if size == 2 else (first,)
                        if self.lex.units.get(phrase) == "people":
                            return "people"
        return None

    def is_date_or_time(self, quantity: _Quantity) -> bool:
        lex = self.lex
        neighbours = (self.norm(quantity.first - 1), self.norm(quantity.last + 1))
        if any(stem_in(word, lex.months) for word in neighbours if word):
            return True
        return neighbours[0] in lex.time_words or neighbours[1] in lex.time_words

    def is_year(self, quantity: _Quantity) -> bool:
        token = self.tokens[quantity.first]
        return (
            token.is_number
            and len(token.text) == 4
            and quantity.value.is_integer()
            and 1800 <= quantity.value <= 2100
            and not quantity.scaled
            and quantity.unit is None
        )

    def is_label(self, quantity: _Quantity) -> bool:
        before = self.norm(quantity.first - 1)
        return before in self.lex.label_before and quantity.unit is None

    def starts_fraction_or_weekday(self, quantity: _Quantity) -> bool:
        """Number words that head a definite noun (Arabic khums al-aradi: a fifth of the lands) or name a weekday
        (Hebrew yom sheni, Monday)."""
        if not quantity.from_words:
            return False
        after = self.tokens[quantity.last + 1] if quantity.last + 1 < len(self.tokens) else None
        if after is not None and after.norm.startswith(self.lex.fraction_definite):
            return True
        return stem_in(self.norm(quantity.first - 1), self.lex.weekday_heads) is not None

    def approximate(self, quantity: _Quantity) -> bool:
        before = self.norm(quantity.first - 1)
        if before == "-":
            before = self.norm(quantity.first - 2)
        return before in self.lex.approximate or quantity.clitic.endswith(self.lex.approximate_clitics)

    def figure(self, quantities: list[_Quantity], value: float | tuple[float, float], unit: str | None) -> Figure:
        first, last = quantities[0], quantities[-1]
        head = self.tokens[first.first]
        start, end = head.start + surface_length(head.text, len(first.clitic)), self.tokens[last.last].end
        counted = None
        unit_spans = [q.unit_tokens for q in quantities if q.unit_tokens is not None]
        if unit in COUNT_UNITS and unit_spans:
            a, b = unit_spans[-1]
            counted = self.text[self.tokens[a].start : self.tokens[b].end]
        elif unit is None:
            k = self.counted_after(last)
            counted = self.tokens[k].text if k is not None else None
        measure = measure_of(self.tokens, first.first, last.last, unit)
        return Figure(start, end, self.text[start:end], value, unit, counted, self.approximate(first), measure)

    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        i = 0
        while i < len(self.tokens):
            quantity = self.read_number(i)
            if quantity is None:
                i += 1
                continue
            self.read_unit(quantity)
            high = self.read_range_end(quantity)
            if high is not None:
                self.read_unit(high)
            found.extend(self.resolve(quantity, high))
            i = (high or quantity).last + 1
        return found

    def resolve(self, low: _Quantity, high: _Quantity | None) -> list[Figure]:
        if high is not None and low.unit is not None and high.unit in {None, low.unit}:
            # "from 28 points to 19": two separate counts sharing a unit, not a range.
            high.unit = low.unit
            return [f for q in (low, high) for f in self.resolve(q, None)]
        parts = [low] if high is None else [low, high]
        last = parts[-1]
        if high is not None and high.scaled and not low.scaled:
            low.value *= high.value / _unscaled(self, high)
        unit = last.unit
        period = self.read_per_period(last)
        if unit is None:
            unit = self.people_before(low)
        if any(self.is_date_or_time(q) or self.is_year(q) or self.is_label(q) for q in parts):
            return []
        if self.starts_fraction_or_weekday(last):
            return []
        value = (min(low.value, high.value), max(low.value, high.value)) if high else low.value  # 450-350 (RTL order)
        figure = self.figure(parts, value, _with_period(unit, period))
        if figure.unit is None and figure.counted is None and figure.measure is None:
            return []
        if low.from_words and low.value == 1 and figure.unit is None:
            return []
        return [figure]


def _unscaled(reader: _Reader, quantity: _Quantity) -> float:
    token = reader.tokens[quantity.first]
    if token.is_number:
        return digit_value(token.text) or 1.0
    return reader.lex.number_words.get(stem_in(token.norm, reader.lex.number_words) or "", 1.0)


def _with_period(unit: str | None, period: str | None) -> str | None:
    if period is None:
        return unit
    return f"{unit or 'count'} {period}"


def extract_figures(text: str) -> list[Figure]:
    """All figures in ``text``, in text order."""
    return _Reader(text).figures()
