"""What the entity rules pass around: a mention (token span and kind), the per-article
cluster it ends in, and the per-Doc state the candidate and kind passes share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from app.extraction.people.lexicon import PERSON_VERBS, Lexicon, _cap
from app.extraction.people.names import _name_parts, _SurnameIndex
from app.extraction.people.parties import Party

PEOPLE_KEY = "newsmeta_people"
ORGS_KEY = "newsmeta_orgs"


@dataclass
class EntityCluster:
    """One real entity in one article: its best name, other forms and (start, end) char spans.

    `country` is an ISO alpha-2 code when the article or the gazetteer ties the entity to a
    country ("Saudi Arabia's Civil Defense Authority", "the Kremlin"); organisations only.
    """

    name: str
    aliases: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)
    country: str | None = None


@dataclass
class _Mention:
    start: int  # token offsets into the doc
    end: int
    kind: str  # "PERSON" or "ORG"
    titled: bool = False  # a title or honorific stood before the name
    country: str | None = None  # organisations: a country prefix ("US State Department")
    party: Party | None = None  # a political party's name, short form or member noun

    def words(self, doc: Doc) -> list[str]:
        return [t.text for t in doc[self.start : self.end]]

    def text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text


class _State:
    """Per-Doc state shared by the candidate pass (`candidates.py`) and the kind decisions
    (`kinds.py`): the mentions found so far, the article's votes on each name's kind, and
    facts about the Doc computed on first use."""

    def __init__(
        self,
        doc: Doc,
        lex: Lexicon,
        org_matches: list[tuple[int, int]],
        party_spans: list[tuple[int, int, Party]] | None = None,
    ) -> None:
        self.doc = doc
        self.lex = lex
        # Read once: `Doc.has_annotation` scans every token.
        self.tagged = doc.has_annotation("TAG")
        self.parsed = doc.has_annotation("DEP")
        self.people: list[_Mention] = []
        self.orgs: list[_Mention] = [_Mention(s, e, "ORG", party=p) for s, e, p in party_spans or []]
        self.in_party = {i for s, e, _ in party_spans or [] for i in range(s, e)}
        self.org_matches = org_matches
        self.person_votes: Counter[str] = Counter()
        self.org_votes: Counter[str] = Counter()
        self.norp_votes: Counter[str] = Counter()
        self.single_person_votes: Counter[str] = Counter()
        # The words of people's names and their surnames, for near-spelling lookups.
        self.person_words: _SurnameIndex[str] = _SurnameIndex()
        self.surnames: _SurnameIndex[str] = _SurnameIndex()
        # Per-Doc facts some checks read, computed on first use.
        self._person_words_cache: set[str] | None = None
        self._ents_by_token: dict[int, Span] | None = None
        self._inner_capitals: Counter[str] | None = None
        self._alone: dict[str, list[int]] | None = None
        self._speaking: dict[str, list[int]] | None = None
        self._lower_words: set[str] | None = None
        self._full_names: dict[str, set[str]] | None = None
        self._org_words: Counter[str] | None = None
        self._things: tuple[set[int], set[str]] | None = None
        self._ent_texts: Counter[str] | None = None

    def _person_words(self) -> set[str]:
        if self._person_words_cache is None:
            people = [ent for ent in self.doc.ents if ent.label_ == "PERSON"]
            self._person_words_cache = {p for ent in people for p in _name_parts([t.text for t in ent])}
        return self._person_words_cache

    def _speaks_alone(self, word: str, start: int, end: int) -> bool:
        """Whether `word` alone, outside tokens [start, end), is the subject of a verb only
        people use ("Farrow said", "O'Rourke replied"): a capitalised pair ending in it names
        a person, whatever the model called the pair (an organisation, a work, nothing). A
        surname that ends a full name the model tagged as a person with another first word is
        that person's."""
        if self._speaking is None:
            self._speaking = {}
            doc = self.doc
            for tok in doc:
                if not (tok.dep_ == "nsubj" and tok.head.lower_ in PERSON_VERBS and _cap(tok.text)):
                    continue
                before = doc[tok.i - 1] if tok.i > 0 else None
                if before is not None and (
                    (before.is_alpha and _cap(before.text)) or (before.text == "-" and not before.whitespace_)
                ):
                    continue  # the last word of a longer name ("Vexa Computer added", "Da Costa")
                self._speaking.setdefault(tok.text, []).append(tok.i)
            self._full_names = {}
            for ent in doc.ents:
                if ent.label_ == "PERSON" and len(ent) > 1:
                    self._full_names.setdefault(ent[-1].text, set()).add(ent[0].text)
        # "Ann Holt ... Holt said": the surname is the known person's, not "Top Holt".
        others = self._full_names.get(word, set()) if self._full_names is not None else set()
        if others and self.doc[start].text not in others:
            return False
        speaking = [i for i in self._speaking.get(word, ()) if not start <= i < end]
        if self._org_words is None:
            self._org_words = Counter(
                ent.text for ent in self.doc.ents if ent.label_ == "ORG" and len(ent) == 1
            )
        # "a Vexa executive ... Vexa said": a company the model mostly calls one.
        return bool(speaking) and self._org_words[word] <= len(self._speaking.get(word, ()))

    def _name_opener(self, tok: Token) -> bool:
        """Whether `tok` can open a person's name that the model missed: a proper noun that is
        no title ("General", "AG") and that the article never writes in lower case as a word
        ("Supporters Holt", "Dump Holt" in a headline are common words before a surname)."""
        if self._lower_words is None:
            self._lower_words = {t.text for t in self.doc if t.is_lower}
        return (
            tok.pos_ == "PROPN"
            and not self.lex.is_title_word(tok.text)
            and tok.text.lower() not in self._lower_words
        )

    def _ent_at(self, i: int) -> Span | None:
        """The model's entity covering token `i`, from a map built once per Doc."""
        if self._ents_by_token is None:
            self._ents_by_token = {k: ent for ent in self.doc.ents for k in range(ent.start, ent.end)}
        return self._ents_by_token.get(i)

    def _capitalised_inside(self, tok: Token) -> bool:
        """Whether the article writes `tok`'s word with a capital inside a sentence too."""
        if self._inner_capitals is None:
            self._inner_capitals = Counter(t.text for t in self.doc if not t.is_sent_start)
        return self._inner_capitals[tok.text] > (0 if tok.is_sent_start else 1)
