"""The `newsmeta_positions` component: runs each reader over every person's mentions,
assembles one record per (person, office), settles organisations and countries and drops an
office another of the person's subsumes."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from app.extraction.people import PEOPLE_KEY, lexicon
from app.extraction.positions.after import apposition
from app.extraction.positions.before import TitlesBefore
from app.extraction.positions.clauses import copula
from app.extraction.positions.context import Context, Found
from app.extraction.positions.described import described_subjects
from app.extraction.positions.founding import founding
from app.extraction.positions.named import named_title
from app.extraction.positions.notes import author_notes
from app.extraction.positions.offices import article_countries, settle_offices, with_article_country
from app.extraction.positions.principal import principal_descriptions
from app.extraction.positions.pronouns import PronounSubjects
from app.extraction.positions.running import running
from app.extraction.positions.words import (
    AMBIGUOUS,
    HOMONYMS,
    NATIONAL_OFFICES,
    norm_title,
    positions_lexicon,
)
from app.extraction.records import Position

if not Doc.has_extension("newsmeta_positions"):
    Doc.set_extension("newsmeta_positions", default=None)


@Language.factory("newsmeta_positions")
class PositionsComponent:
    """Finds (person, title, organisation, country) for the people `newsmeta_entities` found."""

    def __init__(self, nlp: Language, name: str = "newsmeta_positions") -> None:
        self.name = name
        self.lex = positions_lexicon(lexicon())
        self._pronoun_subjects = PronounSubjects()

    def __call__(self, doc: Doc) -> Doc:
        if PEOPLE_KEY not in doc.spans:
            doc._.newsmeta_positions = []
            return doc
        ctx = Context(doc, self.lex)
        before = TitlesBefore(ctx)
        results: dict[tuple[str, str], Position] = {}
        anchors: dict[tuple[str, str], int] = {}  # the person's token where each was read
        self._owned: set[tuple[str, str]] = set()  # offices on another person's staff
        described: set[str] = set()  # everyone a title phrase was read for, kept or not
        spans = sorted(doc.spans[PEOPLE_KEY], key=lambda s: s.start)
        for span in spans:
            for found in (
                *before.read(span),
                *apposition(ctx, span),
                *copula(ctx, span),
                *founding(ctx, span),
                *running(ctx, span),
                *named_title(ctx, span),
            ):
                described.add(span.kb_id_)
                self._record(doc, results, anchors, span.kb_id_, span, found)
        if spans:
            for span, person, found in self._pronoun_subjects(doc, ctx):
                self._record(doc, results, anchors, person, span, found)
            for span, person, found in described_subjects(ctx, results):
                self._record(doc, results, anchors, person, span, found)
            for span, person, found in principal_descriptions(ctx, results, described):
                self._record(doc, results, anchors, person, span, found)
        notes = author_notes(doc)  # "Ann Holt is president of Y." closing an opinion piece
        for key in [k for k in results if k[0] in notes]:
            del results[key], anchors[key]
        settle_offices(ctx, self.lex, results, anchors, self._owned)
        positions = drop_subsumed(list(results.values()))
        doc._.newsmeta_positions = with_article_country(positions, article_countries(ctx))
        return doc

    def _record(
        self,
        doc: Doc,
        results: dict[tuple[str, str], Position],
        anchors: dict[tuple[str, str], int],
        person: str,
        span: Span,
        found: Found,
    ) -> None:
        """Add what was read at `span` as `person`'s position, or fill in the one already read."""
        title = norm_title(found.title, self.lex)
        lower = found.title[0].islower()
        national = title in NATIONAL_OFFICES and found.country is not None  # "Chadian leader X"
        if not title or (
            title in AMBIGUOUS and lower and not national and (found.org is None or title in HOMONYMS)
        ):
            return
        country = found.country or (found.org.country if found.org else None)
        start = min(doc[found.start].idx, span.start_char)
        last = doc[max(found.end - 1, found.start)]
        end = max(last.idx + len(last.text), span.end_char)
        key = (person, title)
        if found.owned:
            self._owned.add(key)
        old = results.get(key)
        anchors.setdefault(key, span.start)
        if old is None:
            results[key] = Position(
                person=person,
                title=title,
                organisation=found.org.name if found.org else None,
                country=country,
                former=found.former,
                start=start,
                end=end,
            )
        else:
            results[key] = old.model_copy(
                update={
                    "organisation": old.organisation or (found.org.name if found.org else None),
                    "country": old.country or country,
                }
            )


def drop_subsumed(positions: list[Position]) -> list[Position]:
    """Keep "director general" over "director" for the same person: one office, two readings;
    but "founder" of NeXT beside "co-founder" of Apple are two offices."""
    out = []
    for p in positions:
        words = set(p.title.replace("-", " ").split())
        if any(
            q is not p
            and q.person == p.person
            and words < set(q.title.replace("-", " ").split())
            and (p.organisation is None or q.organisation in (None, p.organisation))
            for q in positions
        ):
            continue
        out.append(p)
    return out
